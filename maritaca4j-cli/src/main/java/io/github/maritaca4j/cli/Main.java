package io.github.maritaca4j.cli;

/** The entry point of the {@code maritaca} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = Cli.commandLine(CliEnvironment.system()).execute(args);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }
}
