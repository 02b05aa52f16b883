package io.github.maritaca4j.cost;

import io.github.maritaca4j.internal.tokens.BytePairEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deliberately simple BPE, written from tiktoken's description and independent of the production
 * code: byte strings as ISO-8859-1 Java strings in a HashMap, parts in an ArrayList, merge the
 * lowest-ranked adjacent pair (leftmost on ties) until none is a token. Slow; for cross-checking
 * only.
 */
final class NaiveBpe {
  private final Map<String, Integer> ranks = new HashMap<>();
  private final Pattern split =
      Pattern.compile(BytePairEncoder.SABIA_PATTERN, Pattern.UNICODE_CHARACTER_CLASS);

  NaiveBpe(Path tiktoken) throws IOException {
    for (String line : Files.readAllLines(tiktoken, StandardCharsets.US_ASCII)) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(" ");
      ranks.put(
          new String(Base64.getDecoder().decode(f[0]), StandardCharsets.ISO_8859_1),
          Integer.parseInt(f[1]));
    }
  }

  List<Integer> encode(String text) {
    List<Integer> out = new ArrayList<>();
    Matcher m = split.matcher(Normalizer.normalize(text, Normalizer.Form.NFC));
    while (m.find()) {
      String bytes =
          new String(m.group().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
      List<String> parts = new ArrayList<>();
      for (char c : bytes.toCharArray()) {
        parts.add(String.valueOf(c));
      }
      while (parts.size() > 1) {
        int best = -1;
        int bestRank = Integer.MAX_VALUE;
        for (int i = 0; i + 1 < parts.size(); i++) {
          Integer r = ranks.get(parts.get(i) + parts.get(i + 1));
          if (r != null && r < bestRank) {
            bestRank = r;
            best = i;
          }
        }
        if (best < 0) {
          break;
        }
        parts.set(best, parts.get(best) + parts.remove(best + 1));
      }
      for (String p : parts) {
        out.add(ranks.get(p));
      }
    }
    return out;
  }
}
