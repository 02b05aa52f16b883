package io.github.maritaca4j.jobs;

import io.github.maritaca4j.jobs.InputProblem.Kind;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Reads a job's input file once, line by line, in constant memory (plus a {@link CustomIdSet} of
 * the ids seen, for duplicates): an iterator over the requests to run, which records every problem
 * on the way. After the last request, {@link #report()} tells what was found.
 *
 * <p>Lines with problems are not returned. Lines that {@code skip} accepts (already done) are
 * checked like the others but not returned either. Not thread-safe.
 */
public final class InputScan implements Iterator<JobRequest>, Closeable {

  /** Problems kept for the report (the rest are only counted). */
  public static final int DEFAULT_MAX_PROBLEMS = 100;

  private final Path input;
  private final JobLineParser parser;
  private final Predicate<String> skip;
  private final int maxProblems;
  private final boolean checkDuplicates;
  private final BufferedReader reader;
  private final CustomIdSet seen;
  private final List<InputProblem> problems = new ArrayList<>();
  private final Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
  private final Map<String, Long> models = new LinkedHashMap<>();
  private long lineNo;
  private long requests;
  private long skipped;
  private long problemCount;
  private JobRequest next;
  private boolean done;

  private InputScan(
      Path input,
      JobLineParser parser,
      Predicate<String> skip,
      int maxProblems,
      boolean checkDuplicates)
      throws IOException {
    this.input = input;
    this.parser = parser;
    this.skip = skip;
    this.maxProblems = maxProblems;
    this.checkDuplicates = checkDuplicates;
    this.reader = ResultFile.reader(input);
    this.seen = checkDuplicates ? new CustomIdSet() : null;
  }

  /**
   * Opens the input for one pass.
   *
   * @param skip ids not to return (done already); null for none
   * @param checkDuplicates whether to look for duplicate custom_ids (needs about 17-36 bytes per
   *     line); a pass after a successful validation may skip it
   * @throws JobException when the file cannot be opened
   */
  public static InputScan open(
      Path input,
      JobLineParser parser,
      Predicate<String> skip,
      int maxProblems,
      boolean checkDuplicates) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(parser, "parser");
    try {
      return new InputScan(
          input, parser, skip == null ? id -> false : skip, maxProblems, checkDuplicates);
    } catch (NoSuchFileException e) {
      throw new JobException("input file not found: " + input, e);
    } catch (IOException e) {
      throw new JobException("cannot read " + input + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the whole file and reports its problems, keeping nothing else.
   *
   * @param skip ids to count as done; null for none
   */
  public static Report validate(Path input, JobLineParser parser, Predicate<String> skip) {
    try (InputScan scan = open(input, parser, skip, DEFAULT_MAX_PROBLEMS, true)) {
      while (scan.hasNext()) {
        scan.next();
      }
      return scan.report();
    }
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    if (done) {
      return false;
    }
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
          line = line.substring(1);
        }
        JobRequest r;
        try {
          r = parser.parse(line, lineNo);
        } catch (InputLineException e) {
          record(e.problem());
          continue;
        }
        if (r == null) {
          continue; // blank
        }
        if (checkDuplicates && !seen.add(r.customId())) {
          record(
              new InputProblem(
                  lineNo,
                  Kind.DUPLICATE_CUSTOM_ID,
                  r.customId(),
                  "duplicate custom_id '" + r.customId() + "'"));
          continue;
        }
        if (skip.test(r.customId())) {
          skipped++;
          continue;
        }
        requests++;
        models.merge(r.request().model(), 1L, Long::sum);
        next = r;
        return true;
      }
    } catch (IOException e) {
      throw new JobException("cannot read " + input + " line " + (lineNo + 1) + ": " + e, e);
    }
    done = true;
    close();
    nameFirstLines();
    return false;
  }

  /**
   * Adds "(first on line N)" to the duplicates reported, with a second pass over the file: only
   * when there are duplicates (the job cannot run then anyway), so that the id set need not keep
   * line numbers.
   */
  private void nameFirstLines() {
    Map<String, Long> first = new HashMap<>();
    for (InputProblem p : problems) {
      if (p.kind() == Kind.DUPLICATE_CUSTOM_ID) {
        first.put(p.customId(), -1L);
      }
    }
    if (first.isEmpty()) {
      return;
    }
    try (BufferedReader r = ResultFile.reader(input)) {
      String line;
      long n = 0;
      long pending = first.size();
      while (pending > 0 && (line = r.readLine()) != null) {
        n++;
        if (n == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
          line = line.substring(1);
        }
        JobRequest jr;
        try {
          jr = parser.parse(line, n);
        } catch (InputLineException e) {
          continue;
        }
        if (jr != null && first.get(jr.customId()) != null && first.get(jr.customId()) < 0) {
          first.put(jr.customId(), n);
          pending--;
        }
      }
    } catch (IOException e) {
      return; // the messages stay without the first line
    }
    for (int i = 0; i < problems.size(); i++) {
      InputProblem p = problems.get(i);
      Long at = p.kind() == Kind.DUPLICATE_CUSTOM_ID ? first.get(p.customId()) : null;
      if (at != null && at > 0 && at < p.line()) {
        problems.set(
            i,
            new InputProblem(
                p.line(), p.kind(), p.customId(), p.message() + " (first on line " + at + ")"));
      }
    }
  }

  @Override
  public JobRequest next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    JobRequest r = next;
    next = null;
    return r;
  }

  private void record(InputProblem p) {
    problemCount++;
    byKind.merge(p.kind(), 1L, Long::sum);
    if (problems.size() < maxProblems) {
      problems.add(p);
    }
  }

  /** Lines read so far. */
  public long linesRead() {
    return lineNo;
  }

  /** What the pass found; complete once {@link #hasNext()} returned false. */
  public Report report() {
    return new Report(
        input,
        lineNo,
        requests,
        skipped,
        problemCount,
        List.copyOf(problems),
        Collections.unmodifiableMap(new EnumMap<>(byKind)),
        Map.copyOf(models),
        parser.ignoredFields());
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      // nothing was written
    }
  }

  /**
   * What a pass over an input file found.
   *
   * @param input the file
   * @param lines lines read (blank ones included)
   * @param requests valid requests returned (neither done already nor problematic)
   * @param skipped valid requests skipped as done already
   * @param problemCount problems found in all
   * @param problems the first problems (at most the scan's maximum), in line order
   * @param problemsByKind problem counts by kind
   * @param models request counts by model, over the returned requests
   * @param ignoredFields fields ignored, each with the first line it was on
   */
  public record Report(
      Path input,
      long lines,
      long requests,
      long skipped,
      long problemCount,
      List<InputProblem> problems,
      Map<Kind, Long> problemsByKind,
      Map<String, Long> models,
      Map<String, Long> ignoredFields) {

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
}
