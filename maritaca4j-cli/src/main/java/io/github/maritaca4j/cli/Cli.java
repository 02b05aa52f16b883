package io.github.maritaca4j.cli;

import io.github.maritaca4j.AuthenticationException;
import io.github.maritaca4j.BudgetExceededException;
import io.github.maritaca4j.ConfigurationException;
import io.github.maritaca4j.ConnectionException;
import io.github.maritaca4j.MaritacaException;
import io.github.maritaca4j.internal.ErrorMapper;
import io.github.maritaca4j.jobs.JobException;
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
    Throwable t = ErrorMapper.unwrap(e);
    PrintWriter err = cmd.getErr();
    int code = exitCode(t);
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    err.println("maritaca: " + message.strip());
    if (isVerbose(parseResult)) {
      t.printStackTrace(err);
    } else if (code == ExitCodes.ERROR) {
      err.println("(run with --verbose for details)");
    }
    err.flush();
    return code;
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
