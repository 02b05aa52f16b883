package io.github.maritaca4j.jobs;

import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.jobs.InputProblem.Kind;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
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
 * <p>Lines with problems are not returned. Lines that {@code skip} accepts (already done), and
 * lines of another {@linkplain #shard(JobShard) shard}, are checked like the others but not
 * returned either.
 *
 * <p><b>Duplicates are exact.</b> The set of ids seen keeps 64-bit fingerprints, so an id already
 * "seen" is only a candidate duplicate: such a line is returned (and counted) like any other, and
 * its line number is kept (8 bytes). After the last line, when there are candidates, a second pass
 * over the file, as far as the last candidate, compares the ids with the candidates' fingerprints
 * exactly: a true duplicate is then reported with the line of its first occurrence (and taken off
 * the counts of requests and models), a mere fingerprint collision is not. So a file with a
 * duplicate is reported exactly as before, a valid file never fails, and the requests returned by
 * the iterator of a file with duplicates include them (such a file cannot run anyway). Not
 * thread-safe.
 */
final class InputScan implements Iterator<JobRequest>, Closeable {

  /** Problems kept for the report (the rest are only counted). */
  static final int DEFAULT_MAX_PROBLEMS = 100;

  private final Path input;
  private final JobLineParser parser;
  private final Predicate<String> skip;
  private final int maxProblems;
  private final boolean checkDuplicates;
  private final BufferedReader reader;
  private CustomIdSet seen;
  private final CustomIdSet.Marks doneMarks;
  private CustomIdSet candidateFingerprints;
  private LongChunks candidateLines;
  private final List<InputProblem> problems = new ArrayList<>();
  private final Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
  private final Map<String, Long> models = new LinkedHashMap<>();
  private long lineNo;
  private long requests;
  private long skipped;
  private long otherShards;
  private JobShard shard;
  private long problemCount;
  private JobRequest next;
  private boolean done;

  private InputScan(
      Path input,
      JobLineParser parser,
      Predicate<String> skip,
      int maxProblems,
      CustomIdSet seen,
      CustomIdSet done)
      throws IOException {
    this.input = input;
    this.parser = parser;
    this.skip = skip;
    this.maxProblems = maxProblems;
    this.checkDuplicates = seen != null;
    this.seen = seen;
    this.doneMarks = seen != null && done != null ? done.newMarks() : null;
    this.reader = ResultFile.reader(input);
  }

  /**
   * Opens the input for one pass.
   *
   * @param skip ids not to return (done already); null for none
   * @param checkDuplicates whether to look for duplicate custom_ids (needs 10-12.5 bytes per
   *     distinct id); a pass after a successful validation may skip it
   * @throws JobException when the file cannot be opened
   */
  static InputScan open(
      Path input,
      JobLineParser parser,
      Predicate<String> skip,
      int maxProblems,
      boolean checkDuplicates) {
    return open(input, parser, skip, maxProblems, checkDuplicates ? new CustomIdSet() : null, null);
  }

  /**
   * Opens the input for one pass with the set that collects the ids seen (empty; null not to look
   * for duplicates) and, optionally, a set {@code done} of ids that needs not be copied into it: an
   * id of {@code done} met in the file is only marked (one bit a slot of {@code done}), so a
   * resumed job holds each id once. {@code done} must use the same fingerprints as {@code seen} and
   * must not change during the pass.
   */
  static InputScan open(
      Path input,
      JobLineParser parser,
      Predicate<String> skip,
      int maxProblems,
      CustomIdSet seen,
      CustomIdSet done) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(parser, "parser");
    try {
      return new InputScan(
          input, parser, skip == null ? id -> false : skip, maxProblems, seen, done);
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
  static InputReport validate(Path input, JobLineParser parser, Predicate<String> skip) {
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
        if (checkDuplicates) {
          see(r.customId());
        }
        if (shard != null && !shard.contains(r.customId())) {
          otherShards++; // validated like every line, but another shard's to run
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
    verifyCandidates();
    return false;
  }

  /** Puts {@code id} in the set of ids seen; when it was there, its line is a candidate. */
  private void see(String id) {
    long fp = seen.fingerprintOf(id);
    boolean first;
    int m = doneMarks == null ? -1 : doneMarks.mark(fp);
    if (m >= 0) {
      first = m == 0;
    } else {
      first = seen.addFingerprint(fp);
    }
    if (!first) {
      if (candidateLines == null) {
        candidateLines = new LongChunks();
        candidateFingerprints = new CustomIdSet(false, id2 -> 0);
      }
      candidateLines.add(lineNo);
      candidateFingerprints.addFingerprint(fp);
    }
  }

  /** Distinct candidate fingerprints verified per pass, to bound the memory of a pass. */
  static final int VERIFY_ROUND = 1 << 18;

  private int verifyRound = VERIFY_ROUND;

  /**
   * Returns only the requests of {@code shard} (null: all); the lines of other shards are validated
   * (and checked for duplicates) like the others and counted apart ({@link
   * InputReport#otherShards()}). Call before the first {@link #hasNext()}.
   */
  InputScan shard(JobShard shard) {
    this.shard = shard;
    return this;
  }

  /** A test hook: fewer candidate fingerprints per verification pass. */
  InputScan verifyRound(int n) {
    this.verifyRound = n;
    return this;
  }

  /**
   * Tells true duplicates from fingerprint collisions among the candidates, exactly, with one more
   * pass over the file (as far as the last candidate) for every {@link #VERIFY_ROUND} distinct
   * candidate fingerprints: only when there are candidates, i.e. when the file has a duplicate (it
   * cannot run then anyway) or, very rarely, a collision.
   */
  private void verifyCandidates() {
    CustomIdSet ids = seen;
    seen = null; // the big set is not needed any more
    if (candidateLines == null) {
      return;
    }
    long[] fps = candidateFingerprints.sortedFingerprints();
    candidateFingerprints = null;
    List<InputProblem> dups = new ArrayList<>();
    for (int from = 0; from < fps.length; from += verifyRound) {
      int to = Math.min(fps.length, from + verifyRound);
      List<InputProblem> round = new ArrayList<>();
      try {
        verifyRound(ids, fps, from, to, round);
      } catch (IOException e) {
        throw new JobException(
            "cannot read " + input + " again to check duplicate custom_ids: " + e, e);
      }
      dups.addAll(round); // each round's are in line order, at most maxProblems
      dups.sort(Comparator.comparingLong(InputProblem::line));
      if (dups.size() > maxProblems) {
        dups.subList(maxProblems, dups.size()).clear();
      }
    }
    candidateLines = null;
    if (dups.isEmpty()) {
      return;
    }
    List<InputProblem> all = new ArrayList<>(problems);
    all.addAll(dups);
    all.sort(Comparator.comparingLong(InputProblem::line));
    problems.clear();
    problems.addAll(all.subList(0, Math.min(all.size(), maxProblems)));
  }

  /** The first line of one exact id among those with a candidate fingerprint. */
  private record First(String id, long line) {}

  private void verifyRound(CustomIdSet ids, long[] fps, int from, int to, List<InputProblem> dups)
      throws IOException {
    long last = candidateLines.get(candidateLines.size() - 1);
    Map<Long, Object> firsts = new HashMap<>(); // fingerprint -> First, or List<First>
    int ci = 0;
    try (BufferedReader r = ResultFile.reader(input)) {
      String line;
      long n = 0;
      while (n < last && (line = r.readLine()) != null) {
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
        if (jr == null) {
          continue;
        }
        String id = jr.customId();
        long fp = ids.fingerprintOf(id);
        if (Arrays.binarySearch(fps, from, to, fp) < 0) {
          continue;
        }
        while (ci < candidateLines.size() && candidateLines.get(ci) < n) {
          ci++;
        }
        boolean candidate = ci < candidateLines.size() && candidateLines.get(ci) == n;
        First first = firstOf(firsts, fp, id);
        if (first == null) {
          // the first occurrence of this id (a candidate then only collided with another id)
          addFirst(firsts, fp, new First(id, n));
          continue;
        }
        if (!candidate) {
          throw new JobException(input + " changed while it was read (line " + n + ")");
        }
        duplicate(jr, first.line(), n, dups);
      }
    }
  }

  private static First firstOf(Map<Long, Object> firsts, long fp, String id) {
    Object o = firsts.get(fp);
    if (o instanceof First f) {
      return f.id().equals(id) ? f : null;
    }
    if (o != null) {
      @SuppressWarnings("unchecked")
      List<First> l = (List<First>) o;
      for (First f : l) {
        if (f.id().equals(id)) {
          return f;
        }
      }
    }
    return null;
  }

  private static void addFirst(Map<Long, Object> firsts, long fp, First f) {
    Object o = firsts.get(fp);
    if (o == null) {
      firsts.put(fp, f);
    } else if (o instanceof First one) {
      List<First> l = new ArrayList<>(2);
      l.add(one);
      l.add(f);
      firsts.put(fp, l);
    } else {
      @SuppressWarnings("unchecked")
      List<First> l = (List<First>) o;
      l.add(f);
    }
  }

  /** A true duplicate on line {@code n}: counted as a problem, taken off the requests. */
  private void duplicate(JobRequest r, long firstLine, long n, List<InputProblem> dups) {
    if (shard != null && !shard.contains(r.customId())) {
      otherShards--;
    } else if (skip.test(r.customId())) {
      skipped--;
    } else {
      requests--;
      models.computeIfPresent(r.request().model(), (k, v) -> v == 1 ? null : v - 1);
    }
    problemCount++;
    byKind.merge(Kind.DUPLICATE_CUSTOM_ID, 1L, Long::sum);
    if (dups.size() < maxProblems) {
      dups.add(
          new InputProblem(
              n,
              Kind.DUPLICATE_CUSTOM_ID,
              r.customId(),
              "duplicate custom_id '" + r.customId() + "' (first on line " + firstLine + ")"));
    }
  }

  /** A list of longs in chunks: no copy when it grows. */
  private static final class LongChunks {
    private static final int CHUNK = 1 << 13;
    private final List<long[]> chunks = new ArrayList<>();
    private int size;

    void add(long v) {
      if ((size & (CHUNK - 1)) == 0) {
        chunks.add(new long[CHUNK]);
      }
      chunks.get(size / CHUNK)[size & (CHUNK - 1)] = v;
      size++;
    }

    long get(int i) {
      return chunks.get(i / CHUNK)[i & (CHUNK - 1)];
    }

    int size() {
      return size;
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
  long linesRead() {
    return lineNo;
  }

  /** What the pass found; complete once {@link #hasNext()} returned false. */
  InputReport report() {
    return new InputReport(
        input,
        lineNo,
        requests,
        skipped,
        problemCount,
        List.copyOf(problems),
        Collections.unmodifiableMap(new EnumMap<>(byKind)),
        Map.copyOf(models),
        parser.ignoredFields(),
        otherShards);
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      // nothing was written
    }
  }
}
