package io.github.maritaca4j.internal.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.github.maritaca4j.cost.TokenCounter;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default estimator of Sabiá token counts, without Sabiá's vocabulary. Sabiá's vocabulary is
 * cl100k_base's without its 1,100 multi-digit number tokens plus 52,487 other tokens, and its split
 * pattern is cl100k's with one piece per digit. So this splits the text with Sabiá's pattern
 * ({@link SabiaSplitter}), counts each digit as one token and every other piece with cl100k_base
 * (jtokkit), then subtracts a calibrated average saving per accented word of four or more letters
 * after a space (Portuguese words Sabiá's extra tokens cover and cl100k splits). Piece counts are
 * cached (bounded), so text in a natural language, where most words repeat, is mostly hash lookups.
 *
 * <p>Thread-safe; use {@link #INSTANCE}. Internal API.
 */
public final class Cl100kDigitEstimator implements TokenCounter {

  /** Words shorter than this are not counted as accented words. */
  static final int MIN_WORD = 4;

  /**
   * Tokens Sabiá's vocabulary saves, on average, per accented word of {@link #MIN_WORD}+ letters
   * after a space, in thousandths (see docs/cost.md for the calibration).
   */
  static final int ACCENTED_WORD_SAVING_PER_MILLE = 189;

  /** The shared instance (cl100k is loaded on first use of this class). */
  public static final Cl100kDigitEstimator INSTANCE =
      new Cl100kDigitEstimator(ACCENTED_WORD_SAVING_PER_MILLE);

  /** Pieces up to this many chars have their count remembered. */
  static final int MAX_CACHED_PIECE = 32;

  /** The piece cache is emptied when it reaches this many entries (a few MB at most). */
  static final int CACHE_LIMIT = 50_000;

  private final Encoding cl100k;
  private final int savingPerMille;
  private final ConcurrentHashMap<String, Integer> cache = new ConcurrentHashMap<>();

  /** An estimator with another accented-word saving (for calibration). */
  Cl100kDigitEstimator(int savingPerMille) {
    this.savingPerMille = savingPerMille;
    this.cl100k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  @Override
  public int count(String text) {
    int n = text.length();
    if (n == 0) {
      return 0;
    }
    String s = Nfc.normalize(text);
    n = s.length();
    int tokens = 0;
    int accented = 0;
    for (int start = 0, end; start < n; start = end) {
      end = SabiaSplitter.next(s, start);
      int len = end - start;
      if (len == 1 && s.charAt(start) < 0x80) {
        tokens++; // every ASCII character is a token, every digit a piece of its own
        continue;
      }
      int v;
      if (len <= MAX_CACHED_PIECE) {
        String piece = s.substring(start, end);
        Integer cached = cache.get(piece);
        if (cached == null) {
          cached = measure(piece);
          if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
          }
          cache.put(piece, cached);
        }
        v = cached;
      } else {
        v = measure(s.substring(start, end));
      }
      tokens += v >>> 1;
      accented += v & 1;
    }
    return tokens - saving(accented, text);
  }

  /**
   * The piece's cl100k tokens, shifted left by one, with the low bit set when the piece is an
   * accented word of {@link #MIN_WORD}+ letters after a space.
   */
  private int measure(String piece) {
    int tokens = cl100k.countTokensOrdinary(piece);
    boolean accentedWord = false;
    if (piece.length() > MIN_WORD && piece.charAt(0) == ' ') {
      boolean letters = true;
      for (int i = 1; i < piece.length() && letters; i++) {
        char c = piece.charAt(i);
        letters = SabiaSplitter.isLetter(c);
        accentedWord |= c >= 0xC0 && c <= 0x24F;
      }
      accentedWord &= letters;
    }
    return tokens << 1 | (accentedWord ? 1 : 0);
  }

  /**
   * {@code accented × savingPerMille / 1000} rounded to a whole token: up or down, chosen by the
   * text's hash in proportion to the fraction, so that the rounding is deterministic for a text and
   * unbiased over many short texts (where rounding to nearest would always drop the saving).
   */
  private int saving(int accented, String text) {
    if (accented == 0) {
      return 0;
    }
    long thousandths = accented * (long) savingPerMille;
    int whole = (int) (thousandths / 1000);
    int fraction = (int) (thousandths % 1000);
    int dice = Math.floorMod(text.hashCode() * 0x9E3779B9, 1000);
    return dice < fraction ? whole + 1 : whole;
  }

  /** Plain cl100k_base, for comparison. */
  public int countCl100k(String text) {
    return cl100k.countTokensOrdinary(text);
  }

  @Override
  public String toString() {
    return "TokenCounter.estimator(cl100k_base, one token per digit)";
  }
}
