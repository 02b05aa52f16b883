package io.github.maritaca4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A child JVM on this JVM's classpath: the simulator, one client, the job or the estimator. */
final class Child implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final String name;

  private Child(String name, Process process) {
    this.name = name;
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts {@code mainClass} with {@code jvmArgs} and {@code args}; its stderr goes to ours, its
   * stdout is read with {@link #readLine()}.
   */
  static Child start(String name, List<String> jvmArgs, Class<?> mainClass, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return new Child(name, pb.start());
  }

  /** The next line of the child's stdout, null at its end. */
  String readLine() throws IOException {
    return out.readLine();
  }

  /**
   * Reads the child's stdout up to a line starting with {@code prefix} and returns it (the lines
   * before are echoed to stderr); null when stdout ends first (the child died).
   */
  String await(String prefix) throws IOException {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line;
      }
      System.err.println(name + ": " + line);
    }
    return null;
  }

  /** Writes {@code line} and a newline to the child's stdin. */
  void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /**
   * Reads stdout to its end, handing each {@code RESULT} line's JSON to {@code onResult} (other
   * lines are echoed to stderr), then waits for the exit.
   *
   * @return the exit code
   */
  int drain(Consumer<String> onResult, long timeoutSeconds)
      throws IOException, InterruptedException {
    Thread killer =
        new Thread(
            () -> {
              try {
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                  System.err.println(name + ": no end after " + timeoutSeconds + " s, killed");
                  process.destroyForcibly();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "bench-timeout-" + name);
    killer.setDaemon(true);
    killer.start();
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("RESULT ")) {
        onResult.accept(line.substring(7));
      } else {
        System.err.println(name + ": " + line);
      }
    }
    int code = process.waitFor();
    killer.interrupt();
    return code;
  }

  /** Closes the child's stdin (the simulator's signal to stop) and waits a little, then kills. */
  @Override
  public void close() {
    try {
      OutputStream in = process.getOutputStream();
      in.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
