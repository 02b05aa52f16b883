package io.github.maritaca4j.jobs;

import io.github.maritaca4j.errors.JobException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a job's output, so that two commands never append to the same files at once:
 * an OS file lock on {@code <output>.lock}, released by {@link #close()} or when the process dies
 * (even by {@code kill -9}). The lock file itself may stay behind; it is harmless. Taken by {@link
 * JsonlJob#lock()} (and by {@link BatchApiJob#downloadResults} for its own appends); use it in a
 * try-with-resources block. Close it once, from any thread.
 */
public final class JobLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;
  private final Path file;

  private JobLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code output}.
   *
   * @throws JobException when another process (or this one) holds it
   */
  static JobLock acquire(Path output) {
    Path file = output.resolveSibling(output.getFileName() + ".lock");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null;
      }
      if (l == null) {
        ch.close();
        throw new JobException(
            output
                + " is in use by another maritaca command (lock "
                + file
                + "); wait for it to end");
      }
      return new JobLock(file, ch, l);
    } catch (IOException e) {
      throw new JobException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** Releases the lock and deletes the lock file. */
  @Override
  public void close() {
    try (channel) {
      lock.release();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // released with the channel
    }
  }
}
