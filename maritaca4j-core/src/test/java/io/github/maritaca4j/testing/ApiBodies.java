package io.github.maritaca4j.testing;

/** JSON bodies of Maritaca's API for {@link ScriptedHttpServer} scripts. */
public final class ApiBodies {
  private ApiBodies() {}

  /** A chat completion by sabia-4 saying {@code text}: 10 prompt and 2 completion tokens. */
  public static String completion(String text) {
    return "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"sabia-4\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\""
        + text
        + "\",\"tool_calls\":null},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2,\"total_tokens\":12}}";
  }

  /** An OpenAI-style error body. */
  public static String error(String message) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"t\",\"code\":\"c\"}}";
  }

  /** A Batch API batch object; {@code extra} is more fields, without braces, or empty. */
  public static String batch(
      String id, String status, String input, String output, String error, String extra) {
    return "{\"id\":\""
        + id
        + "\",\"object\":\"batch\",\"endpoint\":\"/v1/chat/completions\",\"status\":\""
        + status
        + "\",\"input_file_id\":\""
        + input
        + "\",\"output_file_id\":"
        + (output == null ? "null" : "\"" + output + "\"")
        + ",\"error_file_id\":"
        + (error == null ? "null" : "\"" + error + "\"")
        + (extra == null || extra.isEmpty() ? "" : "," + extra)
        + "}";
  }
}
