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
    b.model(model);
    if (maxTokens != null) {
      b.maxTokens(maxTokens);
    }
    if (temperature != null) {
      b.temperature(temperature);
    }
    if (flex) {
      b.serviceTier(ServiceTier.FLEX);
    }
  }
}
