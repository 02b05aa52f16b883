package io.github.maritaca4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands may read from the outside world besides their arguments and output writers:
 * environment variables, whether a person is at a terminal, answers typed at a prompt, the user's
 * home directory, the wall clock. Injected (never read from globals by the commands) so tests can
 * set each one.
 */
public final class CliEnvironment {
  private final Map<String, String> env;
  private final boolean interactive;
  private final BufferedReader in;
  private final Path home;
  private final Clock clock;

  CliEnvironment(Map<String, String> env, boolean interactive, Reader in, Path home) {
    this(
        env,
        interactive,
        new BufferedReader(Objects.requireNonNull(in, "in")),
        home,
        Clock.systemUTC());
  }

  private CliEnvironment(
      Map<String, String> env, boolean interactive, BufferedReader in, Path home, Clock clock) {
    this.env = Map.copyOf(env);
    this.interactive = interactive;
    this.in = in;
    this.home = home;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The real environment: {@code System.getenv()}, {@code System.console()}, stdin. */
  public static CliEnvironment system() {
    return new CliEnvironment(
        System.getenv(),
        System.console() != null,
        new InputStreamReader(System.in, Charset.defaultCharset()),
        Path.of(System.getProperty("user.home", ".")));
  }

  /** For tests: the given variables, no terminal, nothing to read. */
  public static CliEnvironment of(Map<String, String> env, Path home) {
    return new CliEnvironment(env, false, new StringReader(""), home);
  }

  /** For tests: the given variables, a terminal where {@code typed} is what the user types. */
  public static CliEnvironment interactive(Map<String, String> env, Path home, String typed) {
    return new CliEnvironment(env, true, new StringReader(typed), home);
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

  /** This environment with another wall clock (tests pin the hour with it). */
  public CliEnvironment withClock(Clock clock) {
    return new CliEnvironment(env, interactive, in, home, clock);
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

  /** Reads one line typed by the user; null at end of input. */
  public String readLine() {
    try {
      return in.readLine();
    } catch (IOException e) {
      return null;
    }
  }
}
