package io.github.maritaca4j;

import java.util.Base64;
import java.util.Objects;

/**
 * One part of a message's content: text, or an image for vision models. Immutable.
 *
 * <p>Create parts with {@link #text(String)}, {@link #imageUrl(String)} or {@link
 * #imageBase64(String, byte[])}.
 */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image {

  /** A text part. */
  static Text text(String text) {
    return new Text(text);
  }

  /** An image given by URL ({@code https://...} or a {@code data:} URL). */
  static Image imageUrl(String url) {
    return new Image(url, null);
  }

  /** An image given by its bytes, sent inline as a base64 {@code data:} URL. */
  static Image imageBase64(String mimeType, byte[] bytes) {
    Objects.requireNonNull(mimeType, "mimeType");
    Objects.requireNonNull(bytes, "bytes");
    return new Image(
        "data:" + mimeType + ";base64," + Base64.getEncoder().encodeToString(bytes), null);
  }

  /** A text part. */
  record Text(String text) implements ContentPart {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * An image part.
   *
   * @param url an {@code http(s)} or {@code data:} URL
   * @param detail optional detail hint ({@code low}, {@code high}, {@code auto}); may be null
   */
  record Image(String url, String detail) implements ContentPart {
    public Image {
      Objects.requireNonNull(url, "url");
      if (url.isBlank()) {
        throw new IllegalArgumentException("image url must not be blank");
      }
    }

    /** A copy with the given detail hint. */
    public Image withDetail(String detail) {
      return new Image(url, detail);
    }

    @Override
    public String toString() {
      String shown =
          url.length() > 64 ? url.substring(0, 64) + "...(" + url.length() + " chars)" : url;
      return "Image[url=" + shown + ", detail=" + detail + "]";
    }
  }
}
