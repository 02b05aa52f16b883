package io.github.maritaca4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.maritaca4j.cost.CostEstimate;
import java.io.UncheckedIOException;
import java.util.Locale;

/** JSON output of the commands ({@code --json}): snake_case objects, one per line. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static String write(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The seed's estimate fields, plus model and pricing mode. */
  static ObjectNode estimate(CostEstimate e) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("model", e.model());
    o.put("pricing_mode", e.pricingMode().name().toLowerCase(Locale.ROOT));
    o.put("total_requests", e.totalRequests());
    o.put("total_input_tokens", e.totalInputTokens());
    o.put("total_output_tokens", e.totalOutputTokens());
    o.put("total_input_cost", e.totalInputCost());
    o.put("total_output_cost", e.totalOutputCost());
    o.put("total_cost", e.totalCost());
    return o;
  }
}
