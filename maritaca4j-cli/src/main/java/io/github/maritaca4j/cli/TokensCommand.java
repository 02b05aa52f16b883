package io.github.maritaca4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code maritaca tokens}. */
@Command(
    name = "tokens",
    mixinStandardHelpOptions = true,
    description = "Token counting.",
    subcommands = {TokensCountCommand.class})
final class TokensCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
