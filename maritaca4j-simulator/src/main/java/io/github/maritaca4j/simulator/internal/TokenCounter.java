package io.github.maritaca4j.simulator.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.GptBytePairEncodingParams;
import com.knuddels.jtokkit.api.IntArrayList;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts tokens the way the simulator's models do: a byte-level BPE vocabulary with the Sabiá split
 * pattern (cl100k's pattern with every digit a piece of its own), after NFC normalisation. By
 * default the vocabulary is cl100k_base ({@link #cl100k()}); {@link #fromTiktoken} reads the real
 * one. Thread-safe.
 */
public final class TokenCounter {
  /** The Sabiá pre-tokenisation pattern (maritaca-api.md). */
  static final Pattern SPLIT =
      Pattern.compile(
          "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
              + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private static final int CACHE_LIMIT = 200_000;

  private static final class Cl100k {
    static final TokenCounter INSTANCE =
        new TokenCounter(
            () -> Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE),
            "cl100k_base + digits");
  }

  private static final AtomicBoolean WARMING = new AtomicBoolean();

  private final Supplier<Encoding> loader;
  private final String name;
  private volatile Encoding enc;
  private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

  private TokenCounter(Supplier<Encoding> loader, String name) {
    this.loader = loader;
    this.name = name;
  }

  /** The default counter: cl100k_base ranks, Sabiá split (loaded on first use). */
  public static TokenCounter cl100k() {
    return Cl100k.INSTANCE;
  }

  /**
   * A counter with the vocabulary of a tiktoken-format file ({@code base64(bytes) rank} per line),
   * read now.
   *
   * @throws IOException when the file cannot be read or parsed
   */
  public static TokenCounter fromTiktoken(Path file) throws IOException {
    Map<byte[], Integer> ranks = new HashMap<>();
    int lineNo = 0;
    try (var lines = Files.lines(file, StandardCharsets.US_ASCII)) {
      for (String line : (Iterable<String>) lines::iterator) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        int sp = line.indexOf(' ');
        try {
          ranks.put(
              Base64.getDecoder().decode(line.substring(0, sp)),
              Integer.parseInt(line.substring(sp + 1).trim()));
        } catch (RuntimeException e) {
          throw new IOException(file + ":" + lineNo + ": not a tiktoken line: " + line, e);
        }
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    if (ranks.isEmpty()) {
      throw new IOException(file + ": no ranks");
    }
    String encName = "maritaca-sim-" + file.getFileName() + "-" + System.identityHashCode(ranks);
    Encoding e =
        Encodings.newLazyEncodingRegistry()
            .registerGptBytePairEncoding(
                new GptBytePairEncodingParams(encName, SPLIT, ranks, Map.of()))
            .getEncoding(encName)
            .orElseThrow();
    return new TokenCounter(() -> e, file.getFileName().toString());
  }

  /** The vocabulary's name, for humans. */
  public String name() {
    return name;
  }

  private Encoding enc() {
    Encoding e = enc;
    if (e == null) {
      synchronized (this) {
        e = enc;
        if (e == null) {
          e = loader.get();
          enc = e;
        }
      }
    }
    return e;
  }

  /** Loads the vocabulary now (cl100k takes a few hundred milliseconds the first time). */
  public void warmUp() {
    count("Olá, mundo!");
  }

  /**
   * Starts loading the default vocabulary on a daemon thread and returns at once; a request that
   * needs it before it is loaded waits for it.
   */
  public static void warmUpDefaultInBackground() {
    if (!WARMING.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(() -> cl100k().warmUp(), "maritaca-sim-vocabulary");
    t.setDaemon(true);
    t.start();
  }

  /** The pre-tokens of {@code text} (after NFC); they concatenate back to the normalised text. */
  public static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    Matcher m = SPLIT.matcher(Normalizer.normalize(text, Normalizer.Form.NFC));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** Tokens of one pre-token. */
  public int[] encodePiece(String piece) {
    int[] ids = cache.get(piece);
    if (ids == null) {
      ids = enc().encodeOrdinary(piece).toArray();
      if (cache.size() > CACHE_LIMIT) {
        cache.clear();
      }
      cache.put(piece, ids);
    }
    return ids;
  }

  /** Number of tokens of {@code text}. */
  public int count(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    int n = 0;
    Matcher m = SPLIT.matcher(Normalizer.normalize(text, Normalizer.Form.NFC));
    while (m.find()) {
      n += encodePiece(m.group()).length;
    }
    return n;
  }

  /** Token ids of {@code text}, appended to {@code out}. */
  public void encode(String text, IntArrayList out) {
    if (text == null || text.isEmpty()) {
      return;
    }
    Matcher m = SPLIT.matcher(Normalizer.normalize(text, Normalizer.Form.NFC));
    while (m.find()) {
      for (int id : encodePiece(m.group())) {
        out.add(id);
      }
    }
  }

  /**
   * The first {@code maxTokens} tokens of {@code text} as text. When the cut falls inside a
   * multi-byte character the partial character is dropped.
   */
  public String truncate(String text, int maxTokens) {
    IntArrayList ids = new IntArrayList();
    encode(text, ids);
    if (ids.size() <= maxTokens) {
      return text;
    }
    IntArrayList head = new IntArrayList(maxTokens);
    for (int i = 0; i < maxTokens; i++) {
      head.add(ids.get(i));
    }
    byte[] bytes = enc().decodeBytes(head);
    CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    for (int cut = bytes.length; cut > 0 && cut > bytes.length - 4; cut--) {
      try {
        CharBuffer cb = dec.reset().decode(ByteBuffer.wrap(bytes, 0, cut));
        return cb.toString();
      } catch (CharacterCodingException e) {
        // try one byte less
      }
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
