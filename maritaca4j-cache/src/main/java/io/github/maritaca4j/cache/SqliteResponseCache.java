package io.github.maritaca4j.cache;

import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.jobs.RequestKey;
import io.github.maritaca4j.jobs.ResponseCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ResponseCache} in one SQLite file: every answer of a job kept by its {@link RequestKey},
 * for a re-run, or another job, to answer from at zero cost.
 *
 * <pre>{@code
 * try (SqliteResponseCache cache = SqliteResponseCache.open(Path.of("answers.db"))) {
 *   JsonlJob job = JsonlJob.builder(client, JobFiles.of(input, output)).cache(cache).build();
 *   job.run(job.prepare());
 * }
 * }</pre>
 *
 * <p><b>Several processes.</b> The file is in SQLite's WAL mode, with a busy timeout of {@link
 * #BUSY_TIMEOUT_MS} ms: any number of processes (and of instances in one process) may read and
 * write it at once; a writer waits for another's short transaction instead of failing. New answers
 * are committed together, at most {@link #COMMIT_MS} ms after the first of them (or every {@link
 * #COMMIT_EVERY}); others see them from then on. A process killed meanwhile loses those entries
 * only (its output file has the answers; they are sent again by a later job that needs them).
 *
 * <p><b>Nothing corrupt is served.</b> Each entry keeps the SHA-256 of its answer; an entry whose
 * answer does not match it, or that cannot be read (a damaged page, an I/O error), is reported as
 * missing (logged once at WARN), so the job sends the request again and stores the new answer over
 * it.
 *
 * <p>Thread-safe: one connection, used by one thread at a time.
 */
public final class SqliteResponseCache implements ResponseCache {
  private static final Logger log = LoggerFactory.getLogger(SqliteResponseCache.class);

  /** How long a writer waits for another process's transaction, in milliseconds. */
  public static final int BUSY_TIMEOUT_MS = 30_000;

  /** New answers are committed together, at most this many at once (see the class comment). */
  public static final int COMMIT_EVERY = 500;

  /** New answers are committed at most this long after the first of them, in milliseconds. */
  public static final long COMMIT_MS = 100;

  private final java.util.concurrent.ScheduledExecutorService committer;
  private int uncommitted;

  /** Keys looked up by one query of {@link #getAll}. */
  static final int BATCH = 200;

  /** SQLite's memory-mapped I/O window (virtual address space, not heap). */
  static final long MMAP_BYTES = 1L << 30;

  /** SQLite's page cache (native memory, not heap). */
  static final long CACHE_BYTES = 64L << 20;

  /** The value of {@code PRAGMA application_id} in a file made by this class ("M4JC"). */
  static final int APPLICATION_ID = 0x4D344A43;

  private final Path file;
  private final Connection conn;
  private final PreparedStatement select;
  private final PreparedStatement upsert;
  private boolean warned;
  private boolean closed;

  private SqliteResponseCache(Path file, Connection conn) throws SQLException {
    this.file = file;
    this.conn = conn;
    this.committer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "maritaca4j-cache-commit");
              t.setDaemon(true);
              return t;
            });
    committer.scheduleWithFixedDelay(
        this::commitQuietly, COMMIT_MS, COMMIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    this.select = conn.prepareStatement("SELECT body, sha256 FROM answers WHERE key = ?");
    this.upsert =
        conn.prepareStatement(
            "INSERT OR REPLACE INTO answers (key, body, sha256, stored_at) VALUES (?, ?, ?, ?)");
  }

  /**
   * Opens the cache in {@code file}, creating it (and its parent directories) when missing.
   *
   * @throws JobException when the file cannot be created or written, or is not a response cache
   *     (another SQLite database, or not a database at all)
   */
  public static SqliteResponseCache open(Path file) {
    Objects.requireNonNull(file, "file");
    Path abs = file.toAbsolutePath();
    try {
      if (Files.isDirectory(abs)) {
        throw new JobException(
            "cannot use " + file + " as the response cache: it is a directory (give a file)");
      }
      Path parent = abs.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (Files.exists(abs) && !Files.isWritable(abs)) {
        throw new JobException(
            "cannot use " + file + " as the response cache: the file is not writable");
      }
      if (parent != null && !Files.isWritable(parent)) {
        // SQLite writes its -wal and -shm files beside the database
        throw new JobException(
            "cannot use "
                + file
                + " as the response cache: its directory "
                + parent
                + " is not writable");
      }
    } catch (java.io.IOException e) {
      throw new JobException("cannot use " + file + " as the response cache: " + e.getMessage(), e);
    }
    Connection c = null;
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + abs);
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
        checkOurs(st, file);
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA synchronous = NORMAL");
        // reads through memory-mapped pages and a larger page cache (native memory, not heap):
        // a re-run looks up every request at random places of the file
        st.execute("PRAGMA mmap_size = " + MMAP_BYTES);
        st.execute("PRAGMA cache_size = -" + (CACHE_BYTES >> 10));
        st.execute(
            "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, body TEXT NOT NULL,"
                + " sha256 TEXT NOT NULL, stored_at INTEGER NOT NULL) WITHOUT ROWID");
        st.execute("PRAGMA application_id = " + APPLICATION_ID);
      }
      return new SqliteResponseCache(file, c);
    } catch (SQLException e) {
      closeQuietly(c);
      throw new JobException(
          "cannot use " + file + " as the response cache: " + sqliteMessage(e), e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** Refuses a database that another program made (it has tables, but not ours). */
  private static void checkOurs(Statement st, Path file) throws SQLException {
    int appId;
    try (ResultSet rs = st.executeQuery("PRAGMA application_id")) {
      appId = rs.next() ? rs.getInt(1) : 0;
    }
    int tables;
    try (ResultSet rs =
        st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
      tables = rs.next() ? rs.getInt(1) : 0;
    }
    if (tables > 0 && appId != APPLICATION_ID) {
      throw new JobException(
          "cannot use "
              + file
              + " as the response cache: it is another program's SQLite database (give a new"
              + " file)");
    }
  }

  private static String sqliteMessage(SQLException e) {
    String m = e.getMessage();
    if (m != null && m.contains("SQLITE_NOTADB")) {
      return "it is not a SQLite database (give a new file)";
    }
    if (m != null && (m.contains("SQLITE_READONLY") || m.contains("SQLITE_CANTOPEN"))) {
      return "it cannot be written (" + m + ")";
    }
    return m;
  }

  /** The file of this cache. */
  public Path file() {
    return file;
  }

  @Override
  public synchronized String get(String key) {
    Objects.requireNonNull(key, "key");
    if (closed) {
      throw new IllegalStateException("the response cache " + file + " is closed");
    }
    try {
      select.setString(1, key);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        byte[] body = rs.getBytes(1);
        String sum = rs.getString(2);
        if (body == null || sum == null || !sum.equals(sha256(body))) {
          warnOnce("an entry does not match its checksum (it is sent again)");
          return null;
        }
        return new String(body, StandardCharsets.UTF_8);
      }
    } catch (SQLException e) {
      warnOnce("an entry cannot be read (it is sent again): " + e.getMessage());
      return null;
    }
  }

  /** One query per {@link #BATCH} keys; entries failing their checksum are left out. */
  @Override
  public synchronized java.util.Map<String, String> getAll(java.util.List<String> keys) {
    if (closed) {
      throw new IllegalStateException("the response cache " + file + " is closed");
    }
    java.util.Map<String, String> found = new java.util.HashMap<>();
    for (int from = 0; from < keys.size(); from += BATCH) {
      java.util.List<String> part = keys.subList(from, Math.min(keys.size(), from + BATCH));
      try {
        PreparedStatement ps = batchSelect(part.size());
        try {
          for (int i = 0; i < part.size(); i++) {
            ps.setString(i + 1, Objects.requireNonNull(part.get(i), "key"));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String key = rs.getString(1);
              byte[] body = rs.getBytes(2);
              String sum = rs.getString(3);
              if (body == null || sum == null || !sum.equals(sha256(body))) {
                warnOnce("an entry does not match its checksum (it is sent again)");
                continue;
              }
              found.put(key, new String(body, StandardCharsets.UTF_8));
            }
          }
        } finally {
          if (ps != batchFull) {
            ps.close();
          }
        }
      } catch (SQLException e) {
        warnOnce("entries cannot be read (they are sent again): " + e.getMessage());
      }
    }
    return found;
  }

  private PreparedStatement batchFull;

  /** The query of {@code n} keys (the full-size one is kept). */
  private PreparedStatement batchSelect(int n) throws SQLException {
    if (n == BATCH && batchFull != null) {
      return batchFull;
    }
    StringBuilder sql = new StringBuilder("SELECT key, body, sha256 FROM answers WHERE key IN (");
    for (int i = 0; i < n; i++) {
      sql.append(i == 0 ? "?" : ",?");
    }
    sql.append(')');
    PreparedStatement ps = conn.prepareStatement(sql.toString());
    if (n == BATCH) {
      batchFull = ps;
    }
    return ps;
  }

  @Override
  public synchronized void put(String key, String completionJson) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(completionJson, "completionJson");
    if (closed) {
      throw new IllegalStateException("the response cache " + file + " is closed");
    }
    try {
      if (uncommitted == 0) {
        conn.setAutoCommit(false); // one transaction for many answers: a commit each is slow
      }
      upsert.setString(1, key);
      upsert.setString(2, completionJson);
      upsert.setString(3, sha256(completionJson));
      upsert.setLong(4, System.currentTimeMillis());
      upsert.executeUpdate();
      uncommitted++;
      if (uncommitted >= COMMIT_EVERY) {
        commit();
      }
    } catch (SQLException e) {
      rollbackQuietly();
      throw new JobException(
          "cannot store an answer in the response cache " + file + ": " + e.getMessage(), e);
    }
  }

  /** Commits the answers stored since the last commit (the committer thread does it too). */
  private void commit() throws SQLException {
    if (uncommitted > 0) {
      uncommitted = 0;
      conn.commit();
      conn.setAutoCommit(true);
    }
  }

  private synchronized void commitQuietly() {
    if (closed) {
      return;
    }
    try {
      commit();
    } catch (SQLException e) {
      rollbackQuietly();
      warnOnce("answers could not be stored (they will be sent again): " + e.getMessage());
    }
  }

  private void rollbackQuietly() {
    try {
      if (!conn.getAutoCommit()) {
        conn.rollback();
        conn.setAutoCommit(true);
      }
    } catch (SQLException e) {
      // the connection is in trouble; the next put reports it
    }
    uncommitted = 0;
  }

  /** The number of entries. */
  public synchronized long size() {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM answers")) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new JobException("cannot count the response cache " + file + ": " + e.getMessage(), e);
    }
  }

  private void warnOnce(String what) {
    if (!warned) {
      warned = true;
      log.warn("response cache {}: {}", file, what);
    }
  }

  static String sha256(String s) {
    return sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  /** The first 128 bits of the SHA-256 of {@code utf8}, in hex. */
  static String sha256(byte[] utf8) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(utf8);
      return java.util.HexFormat.of().formatHex(Arrays.copyOf(d, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    committer.shutdownNow();
    try {
      commit();
    } catch (SQLException e) {
      warnOnce("the last answers could not be stored: " + e.getMessage());
    }
    closed = true;
    try {
      select.close();
      upsert.close();
      if (batchFull != null) {
        batchFull.close();
      }
    } catch (SQLException e) {
      // closing anyway
    }
    closeQuietly(conn);
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // nothing more to do
      }
    }
  }

  @Override
  public String toString() {
    return "SqliteResponseCache[" + file + "]";
  }
}
