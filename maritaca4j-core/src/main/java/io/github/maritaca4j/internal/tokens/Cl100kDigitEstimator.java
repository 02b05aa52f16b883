package io.github.maritaca4j.internal.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.github.maritaca4j.cost.TokenCounter;
import java.text.Normalizer;

/**
 * The default estimator of Sabiá token counts: cl100k_base (jtokkit) with every digit counted as
 * one token. Sabiá's vocabulary is close to cl100k's but splits numbers digit by digit, where
 * cl100k groups up to three digits in one token; so this counts cl100k tokens and adds, for each
 * run of n ASCII digits, {@code n - ceil(n / 3)}. One pass over the text plus jtokkit's fast cl100k
 * counter, no regex, no allocation for NFC text. Thread-safe; use {@link #INSTANCE}. Internal API.
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

  private final Encoding cl100k;
  private final int savingPerMille;

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
    int extra = 0; // digits: one token each instead of cl100k's groups of up to three
    int run = 0;
    int accented = 0; // accented words of 4+ letters after a space
    int word = 0; // length of the current letter run
    boolean wordAccent = false;
    boolean wordAfterSpace = false;
    boolean maybeNotNfc = false;
    char prev = '\n';
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
          if (word++ == 0) {
            wordAfterSpace = prev == ' ';
            wordAccent = false;
          }
        } else {
          if (word > 0) {
            if (wordAccent && wordAfterSpace && word >= MIN_WORD) {
              accented++;
            }
            word = 0;
          }
          if (c >= '0' && c <= '9') {
            run++;
            prev = c;
            continue;
          }
        }
      } else {
        if (c >= 0x300) {
          maybeNotNfc = true; // characters below U+0300 are always NFC-stable
        }
        if (Character.isLetter(c)) {
          if (word++ == 0) {
            wordAfterSpace = prev == ' ';
            wordAccent = false;
          }
          if (c >= 0xC0 && c <= 0x24F) {
            wordAccent = true;
          }
        } else if (word > 0) {
          if (wordAccent && wordAfterSpace && word >= MIN_WORD) {
            accented++;
          }
          word = 0;
        }
      }
      if (run > 0) {
        extra += run - (run + 2) / 3;
        run = 0;
      }
      prev = c;
    }
    if (run > 0) {
      extra += run - (run + 2) / 3;
    }
    if (word > 0 && wordAccent && wordAfterSpace && word >= MIN_WORD) {
      accented++;
    }
    String s = text;
    if (maybeNotNfc && !Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
      s = Normalizer.normalize(text, Normalizer.Form.NFC);
    }
    int base = cl100k.countTokensOrdinary(s);
    return base + extra - saving(accented, text);
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
