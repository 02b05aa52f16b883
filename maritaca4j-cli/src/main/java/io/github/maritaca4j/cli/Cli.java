package io.github.maritaca4j.cli;

import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.errors.BudgetExceededException;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.errors.ConnectionException;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.errors.MaritacaException;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Builds the {@code maritaca} command line: commands, factory, error handling. */
public final class Cli {
  private Cli() {}

  /** A command line for {@code env}; set its writers with {@code setOut}/{@code setErr}. */
  public static CommandLine commandLine(CliEnvironment env) {
    CommandLine cmd = new CommandLine(MaritacaCommand.class, new Factory(env));
    cmd.setExecutionExceptionHandler(Cli::handle);
    cmd.setParameterExceptionHandler(Cli::handleUsage);
    cmd.registerConverter(java.math.BigDecimal.class, Cli::decimal);
    cmd.registerConverter(io.github.maritaca4j.jobs.JobShard.class, Cli::shard);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setUsageHelpAutoWidth(true);
    return cmd;
  }

  /** Creates commands and mixins, giving the environment to those whose constructor takes it. */
  private record Factory(CliEnvironment env) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      for (Constructor<?> c : cls.getDeclaredConstructors()) {
        Class<?>[] p = c.getParameterTypes();
        if (p.length == 1 && p[0] == CliEnvironment.class) {
          c.setAccessible(true);
          return cls.cast(c.newInstance(env));
        }
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    Throwable t = MaritacaException.unwrap(e);
    PrintWriter err = cmd.getErr();
    int code = exitCode(t);
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (isVerbose(parseResult)) {
      err.println("maritaca: " + message.strip());
      t.printStackTrace(err);
    } else if (code == ExitCodes.ERROR && !expected(t)) {
      // an unexpected failure: say what it was and where the details are, still on one line
      err.println(
          "maritaca: "
              + message.strip()
              + " ("
              + t.getClass().getSimpleName()
              + "; --verbose shows the stack trace)");
    } else {
      err.println("maritaca: " + message.strip());
    }
    err.flush();
    return code;
  }

  /** Failures with a message written for people: no hint about stack traces. */
  private static boolean expected(Throwable t) {
    return t instanceof CliException
        || t instanceof JobException
        || t instanceof MaritacaException
        || t instanceof java.io.UncheckedIOException;
  }

  /**
   * A bad command line: one line naming the problem and how to get help (no usage dump, which hides
   * the message), exit 2.
   */
  private static int handleUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String message = e.getMessage() == null ? "bad command line" : e.getMessage().strip();
    String help = cmd.getCommandSpec().qualifiedName() + " --help";
    err.println("maritaca: " + message + " (see: " + help + ")");
    for (String a : args) {
      if ("--verbose".equals(a)) {
        e.printStackTrace(err);
        break;
      }
    }
    err.flush();
    return ExitCodes.USAGE;
  }

  /**
   * An amount such as {@code --budget 1.50}. A decimal comma ({@code 1,50}, as written in Brazil)
   * is refused with a hint rather than guessed at: {@code 1,500} could be either.
   */
  static java.math.BigDecimal decimal(String v) {
    String s = v.strip();
    if (s.matches("[+-]?\\d*,\\d+")) {
      throw new CommandLine.TypeConversionException(
          "'" + v + "' uses a decimal comma; write it with a dot: " + s.replace(',', '.'));
    }
    try {
      return new java.math.BigDecimal(s);
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(
          "'" + v + "' is not a number (write amounts in reais with a dot: 1.50)");
    }
  }

  /** A shard, {@code --shard 2/3}: K from 1 to N. */
  static io.github.maritaca4j.jobs.JobShard shard(String v) {
    try {
      return io.github.maritaca4j.jobs.JobShard.parse(v);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  static int exitCode(Throwable t) {
    if (t instanceof CliException c) {
      return c.exitCode();
    }
    if (t instanceof BudgetExceededException) {
      return ExitCodes.BUDGET;
    }
    if (t instanceof JobException) {
      return ExitCodes.ERROR;
    }
    if (t instanceof ConfigurationException
        || t instanceof AuthenticationException
        || t instanceof ConnectionException
        || t instanceof MaritacaException) {
      return ExitCodes.API;
    }
    if (t instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.ERROR;
  }

  private static boolean isVerbose(CommandLine.ParseResult pr) {
    for (CommandLine.ParseResult p = pr; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
