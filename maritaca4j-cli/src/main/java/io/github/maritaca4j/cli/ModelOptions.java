package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ServiceTier;
import picocli.CommandLine.Option;

/** Request defaults: the model and its parameters. */
final class ModelOptions {
  @Option(
      names = {"-m", "--model"},
      paramLabel = "MODEL",
      description = "Model for requests that name none (default: ${DEFAULT-VALUE}).",
      defaultValue = "sabia-4")
  String model;

  @Option(
      names = "--max-tokens",
      paramLabel = "N",
      description = "max_tokens for requests that set none (default: the model's maximum).")
  Integer maxTokens;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      description = "temperature for requests that set none (default: the server's, 0.7).")
  Double temperature;

  @Option(
      names = "--flex",
      description = "Use the flex service tier: half price, subject to capacity (429 when full).")
  boolean flex;

  void apply(ChatMaritaca.Builder b) {
    if (model == null || model.isBlank()) {
      throw new CliException(ExitCodes.USAGE, "--model must not be empty");
    }
    b.model(model.strip());
    if (maxTokens != null) {
      option("--max-tokens", () -> b.maxTokens(maxTokens));
    }
    if (temperature != null) {
      option("--temperature", () -> b.temperature(temperature));
    }
    if (flex) {
      b.serviceTier(ServiceTier.FLEX);
    }
  }

  /**
   * Applies one option's value, reporting a value the client refuses under the option's name
   * ({@code --max-tokens must be between 1 and 32768, was 0}) rather than the builder's.
   */
  static void option(String name, Runnable set) {
    try {
      set.run();
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      // the builder's messages start with its own field name: "maxTokens must be ..."
      String rest =
          m.matches("[a-z][A-Za-z]* (must|is) .*") ? m.substring(m.indexOf(' ')) : ": " + m;
      throw new CliException(ExitCodes.USAGE, name + rest);
    }
  }
}
