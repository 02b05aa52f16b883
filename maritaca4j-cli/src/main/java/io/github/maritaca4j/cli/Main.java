package io.github.maritaca4j.cli;

/** The entry point of the {@code maritaca} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    quietJavaLogging();
    int code = Cli.commandLine(CliEnvironment.system()).execute(args);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  /**
   * The CLI reports through its own output (slf4j is bound to nop). Libraries that log through
   * java.util.logging instead, such as Netty and Lettuce under {@code --shared-limits redis://}
   * (Netty does not use an slf4j bound to nop), are silenced too: their lines would break the
   * one-line messages and {@code --json}'s stderr.
   */
  static void quietJavaLogging() {
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    for (java.util.logging.Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.setLevel(java.util.logging.Level.OFF);
  }
}
