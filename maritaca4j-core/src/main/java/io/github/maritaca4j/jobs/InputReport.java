package io.github.maritaca4j.jobs;

import io.github.maritaca4j.jobs.InputProblem.Kind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a pass over a job's input file found: its problems, the requests to run and those already
 * done, the models. Made by {@link JsonlJob#prepare()} ({@link JobPlan#input()}) and {@link
 * JsonlJob#estimate}. Immutable.
 *
 * @param input the file
 * @param lines lines read (blank ones included)
 * @param requests valid requests to run (neither done already nor problematic; of the shard, when
 *     there is one)
 * @param skipped valid requests skipped as done already (of the shard, when there is one)
 * @param problemCount problems found in all
 * @param problems the first problems (at most 100), in line order
 * @param problemsByKind problem counts by kind
 * @param models request counts by model, over the requests to run
 * @param ignoredFields fields ignored (not sent), each with the first line it was on
 * @param otherShards valid requests of other shards ({@link JsonlJob.Builder#shard(JobShard)}):
 *     validated, neither run nor counted in {@code requests} or {@code skipped}; 0 without a shard
 */
public record InputReport(
    Path input,
    long lines,
    long requests,
    long skipped,
    long problemCount,
    List<InputProblem> problems,
    Map<Kind, Long> problemsByKind,
    Map<String, Long> models,
    Map<String, Long> ignoredFields,
    long otherShards) {

  /** A report of an input read whole (no shard): {@code otherShards} is 0. */
  public InputReport(
      Path input,
      long lines,
      long requests,
      long skipped,
      long problemCount,
      List<InputProblem> problems,
      Map<Kind, Long> problemsByKind,
      Map<String, Long> models,
      Map<String, Long> ignoredFields) {
    this(
        input,
        lines,
        requests,
        skipped,
        problemCount,
        problems,
        problemsByKind,
        models,
        ignoredFields,
        0);
  }

  /** Whether no line has a problem. */
  public boolean isValid() {
    return problemCount == 0;
  }

  /** A few lines for people: the count, then one line per problem kept. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(input)
        .append(": ")
        .append(problemCount)
        .append(problemCount == 1 ? " problem" : " problems")
        .append(" (nothing was sent)");
    for (InputProblem p : problems) {
      sb.append(System.lineSeparator()).append("  ").append(p);
    }
    if (problemCount > problems.size()) {
      sb.append(System.lineSeparator())
          .append("  ... and ")
          .append(problemCount - problems.size())
          .append(" more");
    }
    return sb.toString();
  }
}
