package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.StreamHandler;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code maritaca chat "prompt"}: one question, the answer streamed. The prompt comes from stdin
 * with {@code -}, or when none is given and stdin is not a terminal.
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Asks one question and streams the answer to stdout; tokens and cost go to stderr.",
      "Reads the prompt from stdin when PROMPT is '-', or when it is not given and stdin is not a"
          + " terminal (echo \"Olá\" | maritaca chat)."
    })
final class ChatCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "PROMPT",
      description = "The question ('-': stdin; stdin too when not given and not a terminal).")
  String prompt;

  @Option(names = "--system", paramLabel = "TEXT", description = "A system message.")
  String system;

  @Option(names = "--no-stream", description = "Wait for the whole answer instead of streaming.")
  boolean noStream;

  @Option(names = "--json", description = "Print the answer, usage and cost as one JSON object.")
  boolean json;

  @Option(
      names = {"-q", "--quiet"},
      description = "The answer only (no usage line).")
  boolean quiet;

  @Mixin ConnectionOptions connection;
  @Mixin ModelOptions model;

  ChatCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean fromStdin = prompt == null || "-".equals(prompt);
    if (prompt == null && env.stdinIsTerminal()) {
      throw new CliException(
          ExitCodes.USAGE, "give a PROMPT, or pipe it in (or '-' to type it, ending with Ctrl-D)");
    }
    ConnectionOptions.requireKey(env);
    ChatMaritaca.Builder b = connection.builder(env);
    model.apply(b);
    ChatMaritaca client = b.build();
    String text = fromStdin ? env.readAll().strip() : prompt;
    if (text.isBlank()) {
      throw new CliException(
          ExitCodes.USAGE,
          fromStdin ? "the prompt is empty (stdin had no text)" : "the prompt is empty");
    }
    List<Message> messages = new ArrayList<>();
    if (system != null) {
      messages.add(Message.system(system));
    }
    messages.add(Message.user(text));
    ChatResult r;
    if (noStream || json) {
      r = client.invoke(messages);
      if (!json) {
        out.println(r.content());
      }
    } else {
      // a failed stream's CompletionException is unwrapped where every command's failure is (Cli)
      r =
          client.stream(
                  messages,
                  new StreamHandler() {
                    @Override
                    public void onText(String delta) {
                      out.print(delta);
                      out.flush();
                    }
                  })
              .join();
      out.println();
    }
    out.flush();
    if (json) {
      var o = Json.MAPPER.createObjectNode();
      o.put("model", r.model());
      o.put("content", r.content());
      o.put("finish_reason", r.finishReason().name().toLowerCase(java.util.Locale.ROOT));
      o.put("prompt_tokens", r.usage().promptTokens());
      o.put("completion_tokens", r.usage().completionTokens());
      r.cost()
          .ifPresent(
              c -> {
                o.put("cost_brl", c.total());
                if (c.mode() != null) {
                  o.put("cost_pricing_mode", PricingText.jsonName(c.mode()));
                }
              });
      o.put("latency_ms", r.latency().toMillis());
      out.println(Json.write(o));
    } else if (!quiet) {
      err.println(
          "("
              + r.model()
              + ": "
              + Fmt.n(r.usage().promptTokens())
              + " in / "
              + Fmt.n(r.usage().completionTokens())
              + " out tokens"
              + r.cost().map(ChatCommand::cost).orElse("")
              + ", "
              + Fmt.duration(r.latency())
              + ")");
    }
    return ExitCodes.OK;
  }

  /** {@code , R$ 0.000260 at off-peak prices}: the price depends on the hour, so say which. */
  private static String cost(io.github.maritaca4j.cost.Cost c) {
    return ", "
        + Fmt.brl(c.total())
        + (c.mode() != null ? " at " + PricingText.name(c.mode()) + " prices" : "");
  }
}
