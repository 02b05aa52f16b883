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

  /** The shared instance (cl100k is loaded on first use of this class). */
  public static final Cl100kDigitEstimator INSTANCE = new Cl100kDigitEstimator();

  private final Encoding cl100k;

  private Cl100kDigitEstimator() {
    this.cl100k = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  }

  @Override
  public int count(String text) {
    int n = text.length();
    if (n == 0) {
      return 0;
    }
    int extra = 0;
    int run = 0;
    boolean maybeNotNfc = false;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        run++;
        continue;
      }
      if (run > 0) {
        extra += run - (run + 2) / 3;
        run = 0;
      }
      if (c >= 0x300) {
        maybeNotNfc = true; // characters below U+0300 are always NFC-stable
      }
    }
    if (run > 0) {
      extra += run - (run + 2) / 3;
    }
    String s = text;
    if (maybeNotNfc && !Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
      s = Normalizer.normalize(text, Normalizer.Form.NFC);
    }
    return cl100k.countTokensOrdinary(s) + extra;
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
