package io.github.maritaca4j.internal.tokens;

import java.text.Normalizer;

/** NFC normalisation with a fast path for the common case. Internal API. */
final class Nfc {
  private Nfc() {}

  /** {@code text} in NFC; the same instance when it already is (always so below U+0300). */
  static String normalize(String text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      if (text.charAt(i) >= 0x300) {
        return Normalizer.isNormalized(text, Normalizer.Form.NFC)
            ? text
            : Normalizer.normalize(text, Normalizer.Form.NFC);
      }
    }
    return text;
  }
}
