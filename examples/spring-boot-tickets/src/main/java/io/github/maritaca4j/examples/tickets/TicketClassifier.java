package io.github.maritaca4j.examples.tickets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maritaca4j.ResponseFormat;
import io.github.maritaca4j.batch.BatchItem;
import io.github.maritaca4j.batch.BatchListener;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.springai.MaritacaBatchResult;
import io.github.maritaca4j.springai.MaritacaChatModel;
import io.github.maritaca4j.springai.MaritacaChatOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.stereotype.Service;

/**
 * Classifies tickets: one prompt per ticket with a JSON-schema response format (category, urgency,
 * summary), all of them run as one batch through maritaca4j's batch engine (concurrency cap, the
 * account's rate limits, per-ticket errors), counted in the application's meters.
 */
@Service
public class TicketClassifier {
  /** The categories a ticket may get. */
  public static final List<String> CATEGORIES =
      List.of("cobranca", "acesso", "entrega", "defeito", "cancelamento", "outro");

  /** The urgencies a ticket may get. */
  public static final List<String> URGENCIES = List.of("baixa", "media", "alta");

  private static final String SYSTEM =
      "Você classifica tickets de suporte de uma loja online brasileira. Responda só com o JSON"
          + " pedido: a categoria, a urgência e um resumo de uma frase.";

  private static final ResponseFormat FORMAT =
      ResponseFormat.jsonSchema(
          "classificacao",
          Map.of(
              "type",
              "object",
              "properties",
              Map.of(
                  "categoria", Map.of("type", "string", "enum", CATEGORIES),
                  "urgencia", Map.of("type", "string", "enum", URGENCIES),
                  "resumo", Map.of("type", "string")),
              "required",
              List.of("categoria", "urgencia", "resumo"),
              "additionalProperties",
              false));

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MaritacaChatModel model;
  private final Counter classified;
  private final Counter failed;
  private final DistributionSummary cost;

  TicketClassifier(MaritacaChatModel model, MeterRegistry meters) {
    this.model = model;
    this.classified = meters.counter("tickets.classified");
    this.failed = meters.counter("tickets.failed");
    this.cost = DistributionSummary.builder("tickets.cost").baseUnit("BRL").register(meters);
  }

  /** One ticket's outcome: a classification, or the error. */
  public record Classification(
      int index, String ticket, String category, String urgency, String summary, String error) {}

  /** The batch's outcome. */
  public record Report(
      List<Classification> results,
      int succeeded,
      int failed,
      BigDecimal costBrl,
      long inputTokens,
      long outputTokens,
      long wallTimeMs) {}

  /** Classifies every ticket, at most {@code maxConcurrency} at a time. */
  public Report classify(List<String> tickets, int maxConcurrency) {
    List<Prompt> prompts = new ArrayList<>(tickets.size());
    MaritacaChatOptions options =
        MaritacaChatOptions.builder()
            .responseFormat(FORMAT)
            .temperature(0.0)
            .maxTokens(200)
            .build();
    for (String ticket : tickets) {
      prompts.add(new Prompt(List.of(new SystemMessage(SYSTEM), new UserMessage(ticket)), options));
    }
    BatchListener meters =
        new BatchListener() {
          @Override
          public void onItemSucceeded(BatchItem item) {
            classified.increment();
            item.result().cost().ifPresent(c -> cost.record(c.total().doubleValue()));
          }

          @Override
          public void onItemFailed(BatchItem item) {
            failed.increment();
          }
        };
    MaritacaBatchResult result =
        model
            .batch(
                prompts,
                BatchOptions.builder()
                    .maxConcurrency(maxConcurrency)
                    .returnExceptions(true)
                    .listener(meters)
                    .build())
            .join();

    List<Classification> out = new ArrayList<>(result.size());
    for (MaritacaBatchResult.Item item : result) {
      String ticket = tickets.get(item.index());
      if (!item.isSuccess()) {
        out.add(
            new Classification(
                item.index(), ticket, null, null, null, String.valueOf(item.error().getMessage())));
        continue;
      }
      String text = item.response().getResult().getOutput().getText();
      try {
        JsonNode json = JSON.readTree(text);
        out.add(
            new Classification(
                item.index(),
                ticket,
                json.path("categoria").asText(null),
                json.path("urgencia").asText(null),
                json.path("resumo").asText(null),
                null));
      } catch (Exception e) {
        out.add(
            new Classification(
                item.index(), ticket, null, null, null, "not a JSON classification: " + text));
      }
    }
    return new Report(
        out,
        result.successCount(),
        result.failureCount(),
        result.cost().total(),
        result.usage().promptTokens(),
        result.usage().completionTokens(),
        result.wallTime().toMillis());
  }
}
