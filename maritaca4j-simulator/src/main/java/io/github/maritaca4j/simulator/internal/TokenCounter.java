package io.github.maritaca4j.simulator.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts tokens the way the simulator's models do: cl100k_base ranks with the Sabiá split pattern
 * (cl100k's pattern with every digit a piece of its own), after NFC normalisation. Thread-safe.
 */
public final class TokenCounter {
  /** The Sabiá pre-tokenisation pattern (maritaca-api.md). */
  static final Pattern SPLIT =
      Pattern.compile(
          "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
              + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
          Pattern.UNICODE_CHARACTER_CLASS);

  private static final int CACHE_LIMIT = 200_000;
  private static final ConcurrentHashMap<String, int[]> CACHE = new ConcurrentHashMap<>();

  private static final java.util.concurrent.atomic.AtomicBoolean WARMING =
      new java.util.concurrent.atomic.AtomicBoolean();

  private TokenCounter() {}

  private static final class Holder {
    static final Encoding ENC =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  /** Loads the vocabulary now (it takes a few hundred milliseconds the first time). */
  public static void warmUp() {
    count("Olá, mundo!");
  }

  /**
   * Starts loading the vocabulary on a daemon thread and returns at once; a request that needs it
   * before it is loaded waits for it (class initialisation).
   */
  public static void warmUpInBackground() {
    if (!WARMING.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(TokenCounter::warmUp, "maritaca-sim-vocabulary");
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
  public static int[] encodePiece(String piece) {
    int[] ids = CACHE.get(piece);
    if (ids == null) {
      ids = Holder.ENC.encodeOrdinary(piece).toArray();
      if (CACHE.size() > CACHE_LIMIT) {
        CACHE.clear();
      }
      CACHE.put(piece, ids);
    }
    return ids;
  }

  /** Number of tokens of {@code text}. */
  public static int count(String text) {
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
  public static void encode(String text, IntArrayList out) {
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
  public static String truncate(String text, int maxTokens) {
    IntArrayList ids = new IntArrayList();
    encode(text, ids);
    if (ids.size() <= maxTokens) {
      return text;
    }
    IntArrayList head = new IntArrayList(maxTokens);
    for (int i = 0; i < maxTokens; i++) {
      head.add(ids.get(i));
    }
    byte[] bytes = Holder.ENC.decodeBytes(head);
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
