package io.github.maritaca4j.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code maritaca}: the root command. */
@Command(
    name = "maritaca",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Batch jobs, chat and a local simulator for Maritaca AI's Sabiá models.",
      "Start with: maritaca demo (no key, no network)."
    },
    subcommands = {
      DemoCommand.class,
      BatchCommand.class,
      ChatCommand.class,
      ModelsCommand.class,
      TokensCommand.class,
      SimulateCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 error, 2 usage, 3 invalid input, 4 budget,",
      "  5 some requests failed, 6 API unusable (key, network),",
      "  7 Batch API job pending, 130 interrupted.",
      "Environment: MARITACA_API_KEY, MARITACA_API_BASE,",
      "  MARITACA_TOKENIZER_FILE, MARITACA_STATE_DIR, NO_COLOR.",
      "Docs: docs/cli.md"
    })
public final class MaritacaCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Show stack traces of errors.")
  boolean verbose;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
