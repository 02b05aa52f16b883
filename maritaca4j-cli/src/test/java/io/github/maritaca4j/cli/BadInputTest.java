package io.github.maritaca4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad and unusual input, as a demanding user gives it: every error is one line on stderr starting
 * with {@code maritaca:} (or the list of input problems with line numbers), with the documented
 * exit code, and nothing is sent.
 */
class BadInputTest {
  @TempDir Path dir;
  MaritacaSimulator sim;
  Path in;
  Path out;

  @BeforeEach
  void start() {
    sim = MaritacaSimulator.builder().start();
    in = dir.resolve("in.jsonl");
    out = dir.resolve("out.jsonl");
    CliRun.writeInput(in, 3);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private CliRun.Result cli(String... args) {
    return CliRun.run(CliRun.env(dir), args);
  }

  private CliRun.Result run(Path input, Path output, String... extra) {
    List<String> a =
        new java.util.ArrayList<>(
            List.of(
                "batch",
                "run",
                input.toString(),
                "-o",
                output.toString(),
                "--base-url",
                sim.baseUrl(),
                "--max-tokens",
                "20",
                "--progress",
                "none"));
    a.addAll(List.of(extra));
    return cli(a.toArray(String[]::new));
  }

  private static void assertOneLineError(CliRun.Result r, int code, String contains) {
    assertThat(r.code()).as(r.toString()).isEqualTo(code);
    assertThat(r.err().lines().toList()).as(r.toString()).hasSize(1);
    assertThat(r.err()).startsWith("maritaca: ").contains(contains);
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("Usage:");
  }

  @Test
  void badOptionValuesAreOneLineUsageErrors() {
    assertOneLineError(run(in, out, "--budget", "1,50"), ExitCodes.USAGE, "decimal comma");
    assertThat(run(in, out, "--budget", "1,50").err()).contains("1.50");
    assertOneLineError(run(in, out, "--budget", "abc"), ExitCodes.USAGE, "'abc' is not a number");
    assertOneLineError(
        run(in, out, "--budget", "-1"), ExitCodes.USAGE, "--budget must be positive");
    assertOneLineError(run(in, out, "--bogus"), ExitCodes.USAGE, "Unknown option: '--bogus'");
    assertOneLineError(run(in, out, "-c", "0"), ExitCodes.USAGE, "--concurrency");
    assertOneLineError(run(in, out, "--rpm", "x"), ExitCodes.USAGE, "--rpm");
    assertOneLineError(
        cli("batch", "run", in.toString()), ExitCodes.USAGE, "Missing required option");
    assertOneLineError(
        cli("batch", "estimate", in.toString(), "--max-tokens", "0"),
        ExitCodes.USAGE,
        "--max-tokens must be between 1 and 32768, was 0");
    assertOneLineError(
        run(in, out, "--max-retries", "-1"), ExitCodes.USAGE, "--max-retries must not be");
    assertOneLineError(
        run(in, out, "--max-output-tokens", "-5"), ExitCodes.USAGE, "--max-output-tokens");
    assertOneLineError(
        cli("models", "--base-url", "notaurl"), ExitCodes.USAGE, "--base-url must be an http(s)");
    assertOneLineError(
        cli(
            "batch",
            "submit",
            in.toString(),
            "-o",
            out.toString(),
            "--base-url",
            sim.baseUrl(),
            "--state-dir",
            dir.resolve("st").toString(),
            "--budget",
            "0"),
        ExitCodes.USAGE,
        "--budget must be positive");
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void filesThatCannotBeUsedAreNamed() throws Exception {
    Path sub = Files.createDirectories(dir.resolve("sub"));
    assertOneLineError(run(sub, out), ExitCodes.ERROR, "input file is a directory");
    assertOneLineError(
        run(dir.resolve("missing.jsonl"), out), ExitCodes.ERROR, "input file not found");
    assertOneLineError(run(in, sub), ExitCodes.ERROR, "output file is a directory");
    assertOneLineError(
        run(in, in.resolve("x.jsonl")), ExitCodes.ERROR, in.toAbsolutePath() + " is a file");
    assertOneLineError(
        run(in, out, "--prices", dir.resolve("nope.json").toString()),
        ExitCodes.ERROR,
        "--prices not found");
    Files.writeString(dir.resolve("bad.json"), "xx");
    assertOneLineError(
        run(in, out, "--prices", dir.resolve("bad.json").toString()), ExitCodes.ERROR, "--prices");
    assertOneLineError(
        cli("tokens", "count", "-f", dir.resolve("nope.txt").toString()),
        ExitCodes.ERROR,
        "file not found");
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void anEmptyInputSaysSo() throws Exception {
    Files.writeString(in, "\n  \r\n\n");
    CliRun.Result r = run(in, out);
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("holds no requests");
    CliRun.Result e = cli("batch", "estimate", in.toString());
    assertThat(e.code()).isEqualTo(ExitCodes.OK);
    assertThat(e.out()).contains("0 valid requests (the file is empty");
  }

  @Test
  void bomCrlfAndNoFinalNewlineAreFine() throws Exception {
    Files.write(
        in,
        ("\uFEFF{\"custom_id\":\"a\",\"prompt\":\"um\"}\r\n"
                + "{\"custom_id\":\"b\",\"prompt\":\"dois\"}\r\n"
                + "{\"custom_id\":\"c\",\"prompt\":\"três\"}")
            .getBytes(StandardCharsets.UTF_8));
    CliRun.Result r = run(in, out);
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(CliRun.ids(out)).containsOnlyKeys("a", "b", "c");
  }

  @Test
  void bytesThatAreNotUtf8AreReportedWithTheirLine() throws Exception {
    byte[] latin1 = "{\"prompt\":\"Olá\"}\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] ok = "{\"prompt\":\"oi\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[ok.length + latin1.length];
    System.arraycopy(ok, 0, all, 0, ok.length);
    System.arraycopy(latin1, 0, all, ok.length, latin1.length);
    Files.write(in, all);
    CliRun.Result r = run(in, out);
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(r.err()).contains("line 2: not valid UTF-8");
    assertThat(sim.stats().requests()).isZero();
  }

  @Test
  void unknownBodyFieldsAreSentAndLineFieldsNamedBeforeAnythingIsSent() throws Exception {
    Files.writeString(
        in,
        "{\"custom_id\":\"a\",\"metadata\":{\"k\":1},\"body\":{\"messages\":[{\"role\":"
            + "\"user\",\"content\":\"x\"}],\"seed\":1}}\n"
            + "{\"custom_id\":\"b\",\"prompt\":\"y\",\"user\":\"u\"}\n");
    CliRun.Result r = run(in, out);
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(r.err())
        .contains("note: fields not supported are not sent: metadata (line 1)")
        .doesNotContain("seed")
        .doesNotContain("user (line");
    assertThat(sim.stats().ok()).isEqualTo(2);
  }

  @Test
  void anOutputOfAnotherInputIsRefused() throws Exception {
    assertThat(run(in, out).code()).isEqualTo(ExitCodes.OK);
    Path other = dir.resolve("other.jsonl");
    Files.writeString(other, "{\"custom_id\":\"q0\",\"prompt\":\"outra\"}\n");
    CliRun.Result r = run(other, out);
    assertOneLineError(r, ExitCodes.ERROR, "holds 2 result(s) whose custom_id is not in");
    assertThat(sim.stats().requests()).isEqualTo(3);
    // the same input resumes as before
    assertThat(run(in, out).out()).contains("nothing to do");
  }

  @Test
  void hintsRepeatTheCommandLineAsGiven() {
    assertThat(
            JobRunner.shellCommand(
                List.of("batch", "run", "my file.jsonl", "-o", "o.jsonl", "--max-tokens", "5")))
        .isEqualTo("maritaca batch run 'my file.jsonl' -o o.jsonl --max-tokens 5");
    assertThat(JobRunner.shellCommand(List.of("chat", "it's")))
        .isEqualTo("maritaca chat 'it'\\''s'");
  }

  @Test
  void helpOfEveryCommandIsClean() {
    for (String c :
        List.of(
            "",
            "demo",
            "batch",
            "batch run",
            "batch estimate",
            "batch submit",
            "batch status",
            "batch results",
            "batch cancel",
            "chat",
            "models",
            "tokens",
            "tokens count",
            "simulate")) {
      List<String> a = new java.util.ArrayList<>(List.of(c.split(" ")));
      a.removeIf(String::isEmpty);
      a.add("--help");
      CliRun.Result r = cli(a.toArray(String[]::new));
      assertThat(r.code()).as(c).isEqualTo(ExitCodes.OK);
      assertThat(r.out()).as(c).startsWith("Usage: maritaca");
      assertThat(r.err()).as(c).isEmpty();
    }
  }
}
