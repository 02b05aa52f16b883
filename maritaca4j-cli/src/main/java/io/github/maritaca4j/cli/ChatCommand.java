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

/** {@code maritaca chat "prompt"}: one question, the answer streamed. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Asks one question and streams the answer to stdout; tokens and cost go to stderr.",
      "Reads the prompt from stdin when PROMPT is '-'."
    })
final class ChatCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PROMPT", description = "The question ('-': stdin).")
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
    ConnectionOptions.requireKey(env);
    ChatMaritaca.Builder b = connection.builder(env);
    model.apply(b);
    ChatMaritaca client = b.build();
    String text = prompt;
    if ("-".equals(prompt)) {
      StringBuilder sb = new StringBuilder();
      String line;
      while ((line = env.readLine()) != null) {
        sb.append(line).append('\n');
      }
      text = sb.toString().strip();
    }
    if (text.isBlank()) {
      throw new CliException(ExitCodes.USAGE, "the prompt is empty");
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
      r.cost().ifPresent(c -> o.put("cost_brl", c.total()));
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
              + r.cost().map(c -> ", " + Fmt.brl(c.total())).orElse("")
              + ", "
              + Fmt.duration(r.latency())
              + ")");
    }
    return ExitCodes.OK;
  }
}
