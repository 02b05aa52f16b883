package io.github.maritaca4j.cost;

/**
 * The tokens a request costs beyond the text of its messages: the one place these figures live.
 *
 * <p><b>These are assumptions</b>, not published facts: Maritaca does not document how messages,
 * tools and images are laid out for the model. They follow the ChatML-style layout used by models
 * with this vocabulary ({@code <|im_start|>role\n ... <|im_end|>\n}) and OpenAI's published image
 * figures, and are chosen to err on the high side. Compare with the server's {@code
 * usage.prompt_tokens} (see {@link CostReport}) to see how close they are for your prompts.
 */
public final class TokenOverhead {

  /** Framing of each message: start marker, role, newline, end marker, newline. */
  public static final int PER_MESSAGE = 5;

  /** Extra for a message with a participant name (plus the name's own tokens). */
  public static final int PER_NAME = 1;

  /** Priming of the reply: start marker, {@code assistant}, newline. Once per request. */
  public static final int REPLY_PRIMING = 3;

  /** Framing of each tool call in an assistant message (plus its name and arguments). */
  public static final int PER_TOOL_CALL = 8;

  /** Framing of a tool-result message beyond {@link #PER_MESSAGE} (plus its call id). */
  public static final int PER_TOOL_RESULT = 2;

  /** Once per request with tools: the preamble that introduces them. */
  public static final int TOOLS_PREAMBLE = 16;

  /** Framing of each tool definition (plus the tokens of its JSON schema). */
  public static final int PER_TOOL = 8;

  /** Framing of a {@code json_schema} response format (plus the tokens of its JSON schema). */
  public static final int RESPONSE_SCHEMA = 8;

  /** An image with {@code detail: "low"} (OpenAI's flat figure). */
  public static final int IMAGE_LOW_DETAIL = 85;

  /**
   * Any other image: OpenAI's figure for a high-detail 1024×1024 image (85 + 4 tiles × 170). Larger
   * images can cost more; this is a flat estimate.
   */
  public static final int IMAGE = 765;

  private TokenOverhead() {}
}
