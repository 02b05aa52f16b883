package io.github.maritaca4j.jobs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.internal.Json;
import io.github.maritaca4j.internal.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The canonical hash of a request: what determines its answer (model, messages, parameters, tools,
 * response format), not its {@code custom_id}. Two requests with the same key are answered alike;
 * the key of a {@link ResponseCache} entry and of deduplication.
 *
 * <p>The key is the SHA-256, in lower-case hex, of {@code "maritaca4j-request-v1\n"} followed by
 * the request body as it would be sent (without {@code stream}) in canonical JSON: object keys
 * sorted, no whitespace, numbers as Jackson writes them. So key order in the input (for instance in
 * a JSON schema) does not matter, and {@code 0.7} and {@code 0.70} are the same temperature.
 * Stateless and thread-safe.
 */
public final class RequestKey {
  private static final byte[] VERSION =
      "maritaca4j-request-v1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** The version line of requests without JSON of the user's own (written as sent). */
  private static final byte[] VERSION_PLAIN =
      "maritaca4j-request-v1-plain\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private RequestKey() {}

  /** The canonical hash of {@code request}: 64 lower-case hex digits. */
  public static String of(ChatRequest request) {
    if (plain(request)) {
      return HexFormat.of()
          .formatHex(digest(VERSION_PLAIN, WireFormat.writeRequest(request, false)));
    }
    return HexFormat.of().formatHex(digest(VERSION, canonicalJson(request)));
  }

  /** Whether the request carries no JSON object of the user's own (whose key order may vary). */
  private static boolean plain(ChatRequest r) {
    return r.tools().isEmpty()
        && r.extraBody().isEmpty()
        && (r.responseFormat() == null || r.responseFormat().schema() == null);
  }

  /** The canonical JSON of {@code request}'s body (UTF-8), the input of {@link #of}. */
  static byte[] canonicalJson(ChatRequest request) {
    try {
      JsonNode tree = Json.MAPPER.readTree(request.toJson(false));
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
        write(g, tree);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] digest(byte[] version, byte[] canonical) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(version);
      return md.digest(canonical);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void write(JsonGenerator g, JsonNode n) throws IOException {
    if (n.isObject()) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      names.sort(null);
      g.writeStartObject();
      for (String name : names) {
        g.writeFieldName(name);
        write(g, n.get(name));
      }
      g.writeEndObject();
    } else if (n.isArray()) {
      g.writeStartArray();
      for (JsonNode e : n) {
        write(g, e);
      }
      g.writeEndArray();
    } else if (n.isNumber()) {
      // one spelling per value: 0.7, 0.70 and 7e-1 are one number; integers stay integers
      java.math.BigDecimal d = n.decimalValue().stripTrailingZeros();
      if (d.scale() <= 0) {
        g.writeNumber(d.toBigInteger());
      } else {
        g.writeNumber(d.toPlainString());
      }
    } else {
      g.writeTree(n);
    }
  }
}
