package io.github.maritaca4j.cli;

import io.github.maritaca4j.Message;
import io.github.maritaca4j.cost.TokenCounter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code maritaca tokens count TEXT | --file FILE | -}, or stdin when it is not a terminal. */
@Command(
    name = "count",
    mixinStandardHelpOptions = true,
    description = {
      "Counts the Sabiá tokens of a text or a file.",
      "Reads stdin when TEXT or FILE is '-', or when stdin is not a terminal and neither is given"
          + " (echo \"Olá\" | maritaca tokens count).",
      "Exact with --tokenizer FILE or $MARITACA_TOKENIZER_FILE (a tiktoken-format vocabulary),"
          + " else estimated (typically within 0.5%% on Portuguese)."
    })
final class TokensCountCommand implements Callable<Integer> {
  private final CliEnvironment env;

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "TEXT",
      description = "The text (words are joined; '-': stdin).")
  List<String> text;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Count the contents of FILE (UTF-8; '-': stdin).")
  Path file;

  @Option(
      names = "--tokenizer",
      paramLabel = "FILE",
      description = "A tiktoken-format vocabulary for exact counts.")
  Path tokenizer;

  @Option(
      names = "--as-message",
      description = "Count as one user message (framing tokens added), as a request would.")
  boolean asMessage;

  @Option(names = "--json", description = "Print the count as one JSON object.")
  boolean json;

  TokensCountCommand(CliEnvironment env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String input;
    boolean hasText = text != null && !text.isEmpty();
    if (file != null && hasText) {
      throw new CliException(ExitCodes.USAGE, "give TEXT or --file, not both");
    }
    if ((file != null && "-".equals(file.toString()))
        || (hasText && text.size() == 1 && "-".equals(text.get(0)))) {
      input = env.readAll(); // as it is, like a file: a final line break counts
    } else if (file != null) {
      if (Files.isDirectory(file)) {
        throw new CliException(ExitCodes.ERROR, "--file is a directory, not a file: " + file);
      }
      try {
        input = Files.readString(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw new CliException(ExitCodes.ERROR, "file not found: " + file);
      } catch (java.nio.charset.MalformedInputException e) {
        throw new CliException(
            ExitCodes.ERROR, "cannot read " + file + ": not valid UTF-8 (save it as UTF-8)");
      } catch (IOException e) {
        throw new CliException(ExitCodes.ERROR, "cannot read " + file + ": " + e.getMessage());
      }
    } else if (hasText) {
      input = String.join(" ", text);
    } else if (!env.stdinIsTerminal()) {
      input = env.readAll();
      if (input.isEmpty()) {
        throw new CliException(
            ExitCodes.USAGE, "give a TEXT to count, or --file FILE (stdin was empty)");
      }
    } else {
      throw new CliException(
          ExitCodes.USAGE, "give a TEXT to count, --file FILE, or pipe the text in (or '-')");
    }
    Path vocab = tokenizer;
    if (vocab == null && env.get(TokenCounter.TOKENIZER_FILE_ENV) != null) {
      vocab = Path.of(env.get(TokenCounter.TOKENIZER_FILE_ENV));
    }
    TokenCounter counter;
    if (vocab != null) {
      String option = tokenizer != null ? "--tokenizer" : TokenCounter.TOKENIZER_FILE_ENV;
      Inputs.requireFile(vocab, option);
      try {
        counter = TokenCounter.fromVocabulary(vocab);
      } catch (RuntimeException e) {
        throw ConnectionOptions.fileProblem(option, e);
      }
    } else {
      counter = TokenCounter.estimator();
    }
    long n = asMessage ? counter.countMessages(List.of(Message.user(input))) : counter.count(input);
    String method = vocab != null ? "exact" : "estimated";
    if (json) {
      var o = Json.MAPPER.createObjectNode();
      o.put("tokens", n);
      o.put("method", method);
      if (vocab != null) {
        o.put("tokenizer", vocab.toString());
      }
      o.put("characters", input.length());
      out.println(Json.write(o));
    } else {
      out.println(
          Fmt.n(n)
              + " tokens ("
              + method
              + (vocab != null ? " with " + vocab.getFileName() : "")
              + (asMessage ? ", as a user message" : "")
              + ")");
    }
    return ExitCodes.OK;
  }
}
