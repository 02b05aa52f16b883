package io.github.maritaca4j.cli;

import io.github.maritaca4j.jobs.OffPeakScheduler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands may read from the outside world besides their arguments and output writers:
 * environment variables, whether a person is at a terminal, standard input (answers typed at a
 * prompt, or text piped in), the user's home directory, the wall clock. Injected (never read from
 * globals by the commands) so tests can set each one.
 */
public final class CliEnvironment {
  private final Map<String, String> env;
  private final boolean interactive;
  private final boolean stdinTerminal;
  private final BufferedReader in;
  private final Path home;
  private final Clock clock;
  private final OffPeakScheduler.Sleeper sleeper;

  CliEnvironment(
      Map<String, String> env, boolean interactive, boolean stdinTerminal, Reader in, Path home) {
    this(
        env,
        interactive,
        stdinTerminal,
        new BufferedReader(Objects.requireNonNull(in, "in")),
        home,
        Clock.systemUTC(),
        OffPeakScheduler.Sleeper.system());
  }

  private CliEnvironment(
      Map<String, String> env,
      boolean interactive,
      boolean stdinTerminal,
      BufferedReader in,
      Path home,
      Clock clock,
      OffPeakScheduler.Sleeper sleeper) {
    this.env = Map.copyOf(env);
    this.interactive = interactive;
    this.stdinTerminal = stdinTerminal;
    this.in = in;
    this.home = home;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * The real environment: {@code System.getenv()}, {@code System.console()}, stdin. Text piped in
   * is read as UTF-8 (as {@code --file} is), what is typed at a terminal in the platform's charset.
   */
  public static CliEnvironment system() {
    boolean console = System.console() != null;
    boolean stdinTerminal = console || detectStdinTerminal();
    Reader in =
        stdinTerminal
            ? new InputStreamReader(System.in, Charset.defaultCharset())
            : new InputStreamReader(
                System.in,
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));
    return new CliEnvironment(
        System.getenv(), console, stdinTerminal, in, Path.of(System.getProperty("user.home", ".")));
  }

  /**
   * Whether stdin is a terminal although there is no console (stdout redirected: {@code maritaca
   * tokens count > n.txt}). Java 17 cannot ask directly; on Linux {@code /proc/self/fd/0} names the
   * terminal device. Elsewhere (no {@code /proc}) stdin is taken as not a terminal: a command given
   * no text then waits for stdin until end of input (Ctrl-D).
   */
  private static boolean detectStdinTerminal() {
    try {
      Path fd0 = Path.of("/proc/self/fd/0");
      if (!Files.isSymbolicLink(fd0)) {
        return false;
      }
      String target = Files.readSymbolicLink(fd0).toString();
      return target.startsWith("/dev/pts/")
          || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** For tests: the given variables, no terminal, nothing to read. */
  public static CliEnvironment of(Map<String, String> env, Path home) {
    return piped(env, home, "");
  }

  /** For tests: the given variables, no terminal, {@code stdin} piped in (e.g. {@code echo |}). */
  public static CliEnvironment piped(Map<String, String> env, Path home, String stdin) {
    return new CliEnvironment(env, false, false, new StringReader(stdin), home);
  }

  /** For tests: the given variables, a terminal where {@code typed} is what the user types. */
  public static CliEnvironment interactive(Map<String, String> env, Path home, String typed) {
    return new CliEnvironment(env, true, true, new StringReader(typed), home);
  }

  /** An environment variable, or null when unset or blank. */
  public String get(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  /** Whether a person is at a terminal (prompts and a progress bar make sense). */
  public boolean interactive() {
    return interactive;
  }

  /** Whether colours are off ({@code NO_COLOR} set, see no-color.org) or not on a terminal. */
  public boolean noColor() {
    return !interactive || env.containsKey("NO_COLOR") || "dumb".equals(env.get("TERM"));
  }

  /**
   * Whether stdin is a terminal. When it is not (a pipe, a file, {@code /dev/null}), a command that
   * takes a text or a file and was given neither reads it from stdin.
   */
  public boolean stdinIsTerminal() {
    return stdinTerminal;
  }

  /** This environment with another wall clock (tests pin the hour with it). */
  public CliEnvironment withClock(Clock clock) {
    return new CliEnvironment(env, interactive, stdinTerminal, in, home, clock, sleeper);
  }

  /** This environment with another way to wait for hours (tests of {@code --off-peak}). */
  public CliEnvironment withSleeper(OffPeakScheduler.Sleeper sleeper) {
    return new CliEnvironment(env, interactive, stdinTerminal, in, home, clock, sleeper);
  }

  /** How long waits (for the off-peak window) are waited: {@link Thread#sleep} by default. */
  public OffPeakScheduler.Sleeper sleeper() {
    return sleeper;
  }

  /**
   * The wall clock: the pricing window (off-peak 22:00–06:00 Brasília) and timestamps. Every client
   * a command builds is given it.
   */
  public Clock clock() {
    return clock;
  }

  /** The user's home directory. */
  public Path home() {
    return home;
  }

  /**
   * Everything left on stdin, up to its end, as it is (line breaks kept).
   *
   * @throws CliException when stdin is not valid UTF-8 or cannot be read
   */
  public String readAll() {
    StringWriter w = new StringWriter();
    try {
      in.transferTo(w);
    } catch (CharacterCodingException e) {
      throw new CliException(ExitCodes.ERROR, "cannot read stdin: not valid UTF-8");
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot read stdin: " + e.getMessage());
    }
    return w.toString();
  }

  /** Reads one line typed by the user; null at end of input. */
  public String readLine() {
    try {
      return in.readLine();
    } catch (IOException e) {
      return null;
    }
  }
}
