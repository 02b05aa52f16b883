package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.TokenCounter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where and how to connect: shared by every command that talks to the API. */
final class ConnectionOptions {
  @Option(
      names = "--base-url",
      paramLabel = "URL",
      description =
          "API base URL (default: $MARITACA_API_BASE, else https://chat.maritaca.ai/api).")
  String baseUrl;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Per-attempt timeout (default: ${DEFAULT-VALUE}).",
      defaultValue = "180")
  int timeoutSeconds;

  @Option(
      names = "--max-retries",
      paramLabel = "N",
      description = "Retries after a retryable failure (5xx, timeout, reset) (default: 2).")
  Integer maxRetries;

  @Option(
      names = "--prices",
      paramLabel = "FILE",
      description = "A price table (JSON) overriding the bundled one, for estimates and costs.")
  Path prices;

  @Option(
      names = "--tokenizer",
      paramLabel = "FILE",
      description =
          "A tiktoken-format vocabulary for exact token counts"
              + " (default: $MARITACA_TOKENIZER_FILE, else an estimator).")
  Path tokenizer;

  /**
   * Fails with exit code {@link ExitCodes#API} when there is no key, before anything is read or
   * sent.
   */
  static void requireKey(CliEnvironment env) {
    if (env.get(ChatMaritaca.API_KEY_ENV) == null) {
      throw new CliException(
          ExitCodes.API,
          "no API key: set the "
              + ChatMaritaca.API_KEY_ENV
              + " environment variable (or try `maritaca demo`, which needs none)");
    }
  }

  /** A client builder: key from MARITACA_API_KEY, base URL, timeout, retries, prices, tokens. */
  ChatMaritaca.Builder builder(CliEnvironment env) {
    ChatMaritaca.Builder b =
        ChatMaritaca.builder().apiKey(env.get(ChatMaritaca.API_KEY_ENV)).clock(env.clock());
    String url = baseUrl != null ? baseUrl : env.get(ChatMaritaca.BASE_URL_ENV);
    if (url != null) {
      String source = baseUrl != null ? "--base-url" : ChatMaritaca.BASE_URL_ENV;
      ModelOptions.option(source, () -> b.baseUrl(url.strip()));
    } else {
      b.baseUrl(ChatMaritaca.DEFAULT_BASE_URL);
    }
    if (timeoutSeconds < 1) {
      throw new CliException(ExitCodes.USAGE, "--timeout must be at least 1 second");
    }
    b.timeout(Duration.ofSeconds(timeoutSeconds));
    if (maxRetries != null) {
      ModelOptions.option("--max-retries", () -> b.maxRetries(maxRetries));
    }
    if (prices != null) {
      Inputs.requireFile(prices, "--prices");
      try {
        b.priceTable(PriceTable.defaults().withOverrides(PriceTable.load(prices)));
      } catch (RuntimeException e) {
        throw fileProblem("--prices", e);
      }
    }
    Path tok = tokenizer;
    if (tok == null && env.get(TokenCounter.TOKENIZER_FILE_ENV) != null) {
      tok = Path.of(env.get(TokenCounter.TOKENIZER_FILE_ENV));
    }
    if (tok != null) {
      Inputs.requireFile(tok, tokenizer != null ? "--tokenizer" : TokenCounter.TOKENIZER_FILE_ENV);
    }
    try {
      b.tokenCounter(tok != null ? TokenCounter.fromVocabulary(tok) : TokenCounter.estimator());
    } catch (RuntimeException e) {
      throw fileProblem(tokenizer != null ? "--tokenizer" : TokenCounter.TOKENIZER_FILE_ENV, e);
    }
    return b;
  }

  /** A file given by an option that cannot be used: exit 1, its first line of explanation. */
  static CliException fileProblem(String option, RuntimeException e) {
    String m = String.valueOf(e.getMessage()).strip();
    int nl = m.indexOf('\n');
    if (nl >= 0) {
      m = m.substring(0, nl).strip();
    }
    CliException c = new CliException(ExitCodes.ERROR, option + ": " + m);
    c.initCause(e);
    return c;
  }
}
