package io.github.maritaca4j.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.internal.Json;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An append-only JSONL file of results (a job's output or errors file), written so that nothing is
 * lost when the process dies at any instant.
 *
 * <p>Each {@link #append} writes one whole line (or several), newline included, with a single write
 * to a file opened in append mode, without user-space buffering; the {@link SyncPolicy} decides
 * when it is also forced to the device. A process killed in the middle of a write can at worst
 * leave a partial last line without its newline: {@link #scan} finds and cuts it off before the
 * file is appended to again, so the request it belonged to is simply run again.
 *
 * <p>{@link #append} is thread-safe (lines never interleave).
 */
final class ResultFile implements Closeable {
  private static final JsonFactory FACTORY = Json.MAPPER.getFactory();
  private final Path path;
  private final FileChannel channel;
  private final SyncPolicy policy;
  private final Object lock = new Object();
  private int unsynced;
  private long lastSync = System.nanoTime();
  private long lines;
  private boolean closed;

  private ResultFile(Path path, FileChannel channel, SyncPolicy policy) {
    this.path = path;
    this.channel = channel;
    this.policy = policy;
  }

  /**
   * Opens {@code path} for appending, creating it (and its parent directories) if needed. Call
   * {@link #scan} with {@code repair} first when the file may end with a partial line.
   */
  static ResultFile open(Path path, SyncPolicy policy) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(policy, "policy");
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      FileChannel ch =
          FileChannel.open(
              path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      return new ResultFile(path, ch, policy);
    } catch (IOException e) {
      throw new JobException("cannot open " + path + " for writing: " + e.getMessage(), e);
    }
  }

  /** The file. */
  Path path() {
    return path;
  }

  /** Lines appended through this instance. */
  long appended() {
    synchronized (lock) {
      return lines;
    }
  }

  /**
   * Appends one whole line ({@code line} must end with {@code '\n'} and contain no other newline).
   *
   * @throws JobException when the write fails (disk full...)
   */
  void append(byte[] line) {
    append(line, line.length, 1);
  }

  /**
   * Appends {@code count} whole lines, the first {@code length} bytes of {@code lines} (each line
   * ends with {@code '\n'}), with one write: a process killed meanwhile leaves at worst a partial
   * last line, which {@link #scan} cuts off.
   *
   * @throws JobException when the write fails (disk full...)
   */
  void append(byte[] lines, int length, int count) {
    synchronized (lock) {
      if (closed) {
        throw new JobException(path + " is closed");
      }
      try {
        ByteBuffer buf = ByteBuffer.wrap(lines, 0, length);
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
        this.lines += count;
        unsynced += count;
        long now = System.nanoTime();
        if ((policy.everyLines() > 0 && unsynced >= policy.everyLines())
            || (policy.every() != null && now - lastSync >= policy.every().toNanos())) {
          channel.force(false);
          unsynced = 0;
          lastSync = now;
        }
      } catch (IOException e) {
        throw new JobException("cannot write to " + path + ": " + e.getMessage(), e);
      }
    }
  }

  /** Forces what was appended to the device. */
  void sync() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      try {
        channel.force(false);
        unsynced = 0;
        lastSync = System.nanoTime();
      } catch (IOException e) {
        throw new JobException("cannot sync " + path + ": " + e.getMessage(), e);
      }
    }
  }

  /** Forces and closes. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      try (channel) {
        channel.force(false);
      } catch (IOException e) {
        throw new JobException("cannot close " + path + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Reads the {@code custom_id}s of a result file line by line, in constant memory. A missing file
   * is empty. With {@code repair}, a partial last line (one without its newline, left by a process
   * killed while writing) is cut off the file first. Whether a line is a success is not judged
   * here: that rule is {@link io.github.maritaca4j.batchapi.ResultLine}'s; the output file holds
   * successes and the errors file failures because the job wrote them there.
   *
   * @param customIds receives every line's {@code custom_id}
   * @throws JobException when a complete line is not a result line (not a JSON object with a {@code
   *     custom_id}: the file is not a job's output), or on IO errors; the message names the file
   *     and line
   */
  static ResultFileScan scan(Path file, boolean repair, Consumer<String> customIds) {
    long cut;
    try {
      cut = repair ? repairTail(file) : 0;
    } catch (NoSuchFileException e) {
      return ResultFileScan.EMPTY;
    } catch (IOException e) {
      throw new JobException("cannot repair " + file + ": " + e.getMessage(), e);
    }
    long n = 0;
    long lineNo = 0;
    try {
      boolean partialTail = !repair && !endsWithNewline(file);
      try (BufferedReader r = reader(file)) {
        String line = r.readLine();
        while (line != null) {
          String next = r.readLine();
          lineNo++;
          if (next == null && partialTail) {
            break; // a partial last line, left alone when not repairing
          }
          if (!line.isBlank()) {
            String id;
            try {
              id = customIdOf(line);
            } catch (IllegalArgumentException e) {
              throw new JobException(
                  file
                      + " line "
                      + lineNo
                      + " is not a result line ("
                      + e.getMessage()
                      + "); is this the output of this job? Fix or remove that line to go on");
            }
            n++;
            customIds.accept(id);
          }
          line = next;
        }
      }
    } catch (NoSuchFileException e) {
      return ResultFileScan.EMPTY;
    } catch (IOException e) {
      throw new JobException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new ResultFileScan(n, cut);
  }

  /**
   * The {@code custom_id} of a line of an output or errors file, read with a streaming parser
   * (without building a tree: a resumed job reads every line of both files).
   *
   * @throws IllegalArgumentException when the line is not a JSON object with a {@code custom_id}
   */
  static String customIdOf(String line) {
    try (JsonParser p = FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      String id = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken t = p.nextToken();
        if (f.equals("custom_id")) {
          id = t.isScalarValue() && t != JsonToken.VALUE_NULL ? p.getText() : null;
          p.skipChildren();
        } else {
          p.skipChildren();
        }
      }
      if (id == null) {
        throw new IllegalArgumentException("no \"custom_id\"");
      }
      return id;
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
    }
  }

  private static boolean endsWithNewline(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) {
        return true;
      }
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, size - 1);
      return b.get(0) == '\n';
    }
  }

  /** Cuts everything after the last newline; returns the number of bytes cut. */
  static long repairTail(Path file) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      if (size == 0) {
        return 0;
      }
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      long end = size;
      while (end > 0) {
        long start = Math.max(0, end - buf.capacity());
        buf.clear();
        buf.limit((int) (end - start));
        int read = 0;
        while (buf.hasRemaining()) {
          int k = ch.read(buf, start + read);
          if (k < 0) {
            break;
          }
          read += k;
        }
        for (int i = read - 1; i >= 0; i--) {
          if (buf.get(i) == '\n') {
            long keep = start + i + 1;
            if (keep < size) {
              ch.truncate(keep);
              ch.force(true);
            }
            return size - keep;
          }
        }
        end = start;
      }
      ch.truncate(0);
      ch.force(true);
      return size;
    }
  }

  static BufferedReader reader(Path file) throws IOException {
    return new BufferedReader(
        new InputStreamReader(
            Channels.newInputStream(FileChannel.open(file, StandardOpenOption.READ)),
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)
                .replaceWith(MALFORMED_INPUT_STRING)),
        1 << 16);
  }

  /**
   * What {@link #reader} puts in place of bytes that are not UTF-8: U+FDD0, a Unicode noncharacter
   * (never in interchanged text, unlike U+FFFD, which a valid file may hold), so that {@link
   * JobLineParser} can tell a line with invalid bytes and report it with its line number.
   */
  static final char MALFORMED_INPUT = '\uFDD0';

  private static final String MALFORMED_INPUT_STRING = String.valueOf(MALFORMED_INPUT);
}
