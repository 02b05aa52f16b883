package io.github.maritaca4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.InvalidResponseException;
import io.github.maritaca4j.cost.ModelPrice;
import io.github.maritaca4j.internal.ErrorMapper;
import io.github.maritaca4j.internal.HttpTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code maritaca models}: the server's models with their context and prices. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the models the server offers (GET /models), with context length and prices"
          + " (R$ per million tokens) from the price table.",
      "With --offline, lists the price table only (no key, no network)."
    })
final class ModelsCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the server's answer as JSON.")
  boolean json;

  @Option(names = "--offline", description = "List the bundled price table; do not ask the server.")
  boolean offline;

  @Mixin ConnectionOptions connection;

  ModelsCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ChatMaritaca client = connection.builder(env).build();
    if (offline) {
      if (json) {
        var arr = Json.MAPPER.createArrayNode();
        for (String m : client.priceTable().models()) {
          ModelPrice p = client.priceTable().require(m);
          var o = arr.addObject();
          o.put("id", m);
          o.put("input_per_million", p.inputPerMillion());
          o.put("output_per_million", p.outputPerMillion());
          o.put("context_length", p.contextWindow());
        }
        out.println(Json.write(arr));
      } else {
        header(out);
        for (String m : client.priceTable().models()) {
          row(out, m, client.priceTable().require(m).contextWindow(), client);
        }
      }
      return ExitCodes.OK;
    }
    ConnectionOptions.requireKey(env);
    HttpTransport t = client.context().transport();
    HttpRequest req = t.newRequest(t.uri("/models")).GET().build();
    JsonNode root;
    try {
      HttpResponse<byte[]> resp = t.httpClient().send(req, HttpResponse.BodyHandlers.ofByteArray());
      if (resp.statusCode() / 100 != 2) {
        throw ErrorMapper.fromResponse(
            resp.statusCode(), resp.headers(), resp.body(), java.time.Instant.now(), null);
      }
      root = Json.MAPPER.readTree(resp.body());
    } catch (IOException e) {
      throw ErrorMapper.fromThrowable(e, t.host());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.INTERRUPTED, "interrupted");
    }
    if (!root.path("data").isArray()) {
      throw new InvalidResponseException("GET /models: no \"data\" list", 200, null);
    }
    if (json) {
      out.println(Json.write(root));
      return ExitCodes.OK;
    }
    header(out);
    for (JsonNode m : root.path("data")) {
      String id = m.path("id").asText();
      long ctx =
          m.path("context_length").asLong(m.path("top_provider").path("context_length").asLong(0));
      row(out, id, ctx, client);
    }
    return ExitCodes.OK;
  }

  private static void header(PrintWriter out) {
    out.println(
        String.format(
            Locale.ROOT,
            "%-26s %9s %10s %10s %10s",
            "MODEL",
            "CONTEXT",
            "INPUT",
            "OUTPUT",
            "CACHED"));
  }

  private static void row(PrintWriter out, String id, long ctx, ChatMaritaca client) {
    Optional<ModelPrice> p = client.priceTable().find(id);
    out.println(
        String.format(
            Locale.ROOT,
            "%-26s %9s %10s %10s %10s",
            id,
            ctx > 0 ? Fmt.compact(ctx) : "-",
            p.map(x -> x.inputPerMillion().toPlainString()).orElse("-"),
            p.map(x -> x.outputPerMillion().toPlainString()).orElse("-"),
            p.map(x -> x.cachedInputPerMillion().toPlainString()).orElse("-")));
  }
}
