package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ModelInfo;
import io.github.maritaca4j.cost.ModelPrice;
import java.io.PrintWriter;
import java.util.List;
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

  @Option(names = "--json", description = "Print the models as one JSON object.")
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
    List<ModelInfo> models = client.listModels();
    if (json) {
      var root = Json.MAPPER.createObjectNode();
      root.put("object", "list");
      var data = root.putArray("data");
      for (ModelInfo m : models) {
        var o = data.addObject();
        o.put("id", m.id());
        if (m.ownedBy() != null) {
          o.put("owned_by", m.ownedBy());
        }
        o.put("created", m.created());
        o.put("context_length", m.contextLength());
        o.put("max_completion_tokens", m.maxCompletionTokens());
      }
      out.println(Json.write(root));
      return ExitCodes.OK;
    }
    header(out);
    for (ModelInfo m : models) {
      row(out, m.id(), m.contextLength(), client);
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
