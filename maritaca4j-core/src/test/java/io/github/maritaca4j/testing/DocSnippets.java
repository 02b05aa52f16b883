package io.github.maritaca4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks that a documentation page shows exactly the code a test runs. In the test, a region is
 * marked {@code // docs:begin NAME} ... {@code // docs:end}; a line ending in {@code // docs:omit}
 * is run but not shown, and {@code // docs: TEXT} is shown but not run. In the page, the block
 * follows {@code <!-- tested: NAME -->}. White space does not count.
 */
public final class DocSnippets {
  private static final Pattern REGION =
      Pattern.compile("// docs:begin ([a-z-]+)\\n(.*?)// docs:end", Pattern.DOTALL);
  private static final Pattern BLOCK =
      Pattern.compile("<!-- tested: ([a-z-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL);

  private DocSnippets() {}

  /**
   * Asserts that every region of {@code testSource} is shown as is in {@code page}.
   *
   * @return the names of the regions, in the order of the source
   */
  public static List<String> assertPageShowsRegions(Path testSource, Path page) {
    String source;
    String text;
    try {
      source = Files.readString(testSource, StandardCharsets.UTF_8);
      text = Files.readString(page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> regions = new ArrayList<>();
    Matcher r = REGION.matcher(source);
    while (r.find()) {
      regions.add(r.group(1));
      Matcher b = BLOCK.matcher(text);
      String block = null;
      while (b.find()) {
        if (b.group(1).equals(r.group(1))) {
          block = b.group(2);
        }
      }
      assertThat(block).as(page + ": the block for " + r.group(1)).isNotNull();
      assertThat(normalise(block, false))
          .as(page + ": block '" + r.group(1) + "'")
          .isEqualTo(normalise(r.group(2), true));
    }
    return regions;
  }

  private static String normalise(String code, boolean fromTest) {
    return code.lines()
        .map(String::strip)
        .filter(l -> !(fromTest && l.endsWith("// docs:omit")))
        .map(l -> fromTest && l.startsWith("// docs: ") ? l.substring(9) : l)
        .collect(Collectors.joining("\n"))
        .replaceAll("\\s+", "");
  }
}
