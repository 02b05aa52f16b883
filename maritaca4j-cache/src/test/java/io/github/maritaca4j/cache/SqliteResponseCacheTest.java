package io.github.maritaca4j.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.maritaca4j.errors.JobException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteResponseCacheTest {
  @TempDir Path dir;

  @Test
  void keepsAnswersAcrossReopening() {
    Path f = dir.resolve("sub/answers.db");
    try (SqliteResponseCache c = SqliteResponseCache.open(f)) {
      assertThat(c.get("k1")).isNull();
      c.put("k1", "{\"a\":1}");
      c.put("k1", "{\"a\":2}"); // replaced
      c.put("k2", "{\"b\":\"é\"}");
      assertThat(c.size()).isEqualTo(2);
    }
    try (SqliteResponseCache c = SqliteResponseCache.open(f)) {
      assertThat(c.get("k1")).isEqualTo("{\"a\":2}");
      assertThat(c.get("k2")).isEqualTo("{\"b\":\"é\"}");
    }
  }

  @Test
  void anEntryThatDoesNotMatchItsChecksumIsNotServed() throws Exception {
    Path f = dir.resolve("answers.db");
    try (SqliteResponseCache c = SqliteResponseCache.open(f)) {
      c.put("k", "{\"choices\":[]}");
      c.put("ok", "{\"fine\":true}");
    }
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + f);
        Statement st = conn.createStatement()) {
      st.executeUpdate("UPDATE answers SET body = '{\"choices\":[' WHERE key = 'k'");
    }
    try (SqliteResponseCache c = SqliteResponseCache.open(f)) {
      assertThat(c.get("k")).isNull();
      assertThat(c.get("ok")).isEqualTo("{\"fine\":true}");
      c.put("k", "{\"again\":1}");
      assertThat(c.get("k")).isEqualTo("{\"again\":1}");
    }
  }

  @Test
  void aPathThatCannotBeWrittenIsRefusedNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("plain.txt"), "x");
    assertThatThrownBy(() -> SqliteResponseCache.open(file.resolve("answers.db")))
        .isInstanceOf(JobException.class)
        .hasMessageContaining(
            "cannot use " + file.resolve("answers.db") + " as the response cache");
    assertThatThrownBy(() -> SqliteResponseCache.open(dir))
        .isInstanceOf(JobException.class)
        .hasMessageContaining("it is a directory");
  }

  @Test
  void aFileThatIsNotACacheIsRefused() throws Exception {
    Path text =
        Files.writeString(dir.resolve("notes.db"), "this is not a database at all\n".repeat(50));
    assertThatThrownBy(() -> SqliteResponseCache.open(text))
        .isInstanceOf(JobException.class)
        .hasMessageContaining("not a SQLite database");
    Path other = dir.resolve("other.db");
    try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + other);
        Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE people (name TEXT)");
    }
    assertThatThrownBy(() -> SqliteResponseCache.open(other))
        .isInstanceOf(JobException.class)
        .hasMessageContaining("another program's SQLite database");
  }

  @Test
  void twoProcessesWriteAndReadTheSameFileAtOnce() throws Exception {
    Path f = dir.resolve("shared.db");
    SqliteResponseCache.open(f).close();
    List<Process> children = new ArrayList<>();
    for (String prefix : List.of("a", "b")) {
      children.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  CacheWriterMain.class.getName(),
                  f.toString(),
                  prefix,
                  "400")
              .inheritIO()
              .start());
    }
    // this process writes too, meanwhile
    try (SqliteResponseCache c = SqliteResponseCache.open(f)) {
      for (int i = 0; i < 400; i++) {
        c.put("c" + i, "{\"n\":" + i + "}");
      }
    }
    for (Process p : children) {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    try (SqliteResponseCache c = SqliteResponseCache.open(f)) {
      assertThat(c.size()).isEqualTo(1200);
      assertThat(c.get("a399")).isEqualTo("{\"n\":399}");
      assertThat(c.get("b0")).isEqualTo("{\"n\":0}");
    }
  }

  @Test
  void anotherConnectionSeesANewAnswerOnceCommittedWithoutAClose() throws Exception {
    Path f = dir.resolve("live.db");
    try (SqliteResponseCache a = SqliteResponseCache.open(f);
        SqliteResponseCache b = SqliteResponseCache.open(f)) {
      a.put("k", "{\"v\":1}");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (b.get("k") == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(b.get("k")).isEqualTo("{\"v\":1}");
      // many at once: committed in groups, every one stored
      for (int i = 0; i < 3 * SqliteResponseCache.COMMIT_EVERY + 7; i++) {
        a.put("n" + i, "{}");
      }
    }
    try (SqliteResponseCache c = SqliteResponseCache.open(f)) {
      assertThat(c.size()).isEqualTo(1 + 3 * SqliteResponseCache.COMMIT_EVERY + 7);
    }
  }
}
