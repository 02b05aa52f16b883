package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code io.github.maritaca4j.jobs} keeps as public only what a user of the library calls (issue
 * 14): the two jobs, their listeners, plans, reports, summaries, and the types they return. The
 * plumbing (parsing, scanning, id sets, result files) is package-private. A type made public, or an
 * agreed one no longer public, fails here: change the list only with the API (and the CHANGELOG).
 * The planner's types (issue 15: {@code JobPlanner} and what it takes and returns, the off-peak
 * window and scheduler) are public too.
 */
class PublicTypesTest {
  private static final String PACKAGE = "io.github.maritaca4j.jobs";

  /** The agreed public types (binary names: nested types after a {@code $}). */
  private static final List<String> AGREED =
      List.of(
          "BatchApiJob",
          "BatchApiQuota",
          "BatchApiJobState",
          "BatchApiJobState$Part",
          "BatchApiResults",
          "BatchApiSubmitListener",
          "InputEstimate",
          "InputProblem",
          "InputProblem$Kind",
          "InputReport",
          "JobFiles",
          "JobListener",
          "JobLock",
          "JobOrder",
          "JobPlan",
          "JobPlanner",
          "JobPlanner$Builder",
          "JobPlannerResult",
          "JobProfile",
          "JobProfile$ModelWork",
          "JobShard",
          "JobSummary",
          "JsonlJob",
          "JsonlJob$Builder",
          "OffPeakScheduler",
          "OffPeakScheduler$Sleeper",
          "OffPeakScheduler$Watch",
          "OffPeakWindow",
          "RequestKey",
          "ResponseCache",
          "ResultFileScan",
          "RunWay",
          "SyncPolicy",
          "WayEstimate");

  @Test
  void onlyTheAgreedTypesArePublic() throws Exception {
    List<String> names = classNames();
    assertThat(names).as("classes found in %s", PACKAGE).contains("JsonlJob", "InputScan");
    List<String> visible = new ArrayList<>();
    for (String n : names) {
      if (isVisible(Class.forName(PACKAGE + "." + n, false, getClass().getClassLoader()))) {
        visible.add(n);
      }
    }
    assertThat(visible).containsExactlyInAnyOrderElementsOf(AGREED);
  }

  @Test
  void anInputLineProblemIsAJobExceptionNotAnIllegalArgumentException() {
    assertThat(io.github.maritaca4j.errors.JobException.class)
        .isAssignableFrom(InputLineException.class);
    assertThat(IllegalArgumentException.class.isAssignableFrom(InputLineException.class)).isFalse();
  }

  /** Public, and so is every class it is nested in. */
  private static boolean isVisible(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return !c.isAnonymousClass() && !c.isLocalClass() && !c.isSynthetic();
  }

  /** The simple binary names ({@code Outer$Inner}) of the package's main classes. */
  private static List<String> classNames() throws IOException, URISyntaxException {
    Path where =
        Path.of(JsonlJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String dir = PACKAGE.replace('.', '/') + "/";
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(where)) {
      try (Stream<Path> files = Files.list(where.resolve(dir))) {
        files.map(p -> p.getFileName().toString()).forEach(f -> add(names, f));
      }
    } else {
      try (JarFile jar = new JarFile(where.toFile())) {
        jar.stream()
            .map(e -> e.getName())
            .filter(e -> e.startsWith(dir) && e.indexOf('/', dir.length()) < 0)
            .forEach(e -> add(names, e.substring(dir.length())));
      }
    }
    return names;
  }

  private static void add(List<String> names, String file) {
    if (file.endsWith(".class") && !file.startsWith("package-info")) {
      names.add(file.substring(0, file.length() - ".class".length()));
    }
  }
}
