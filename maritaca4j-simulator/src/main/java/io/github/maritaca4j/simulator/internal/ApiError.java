package io.github.maritaca4j.simulator.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP error answer in the OpenAI style: {@code {"error":{"message","type","code"}}}. */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public ApiError(int status, String type, String code, String message) {
    this(status, type, code, null, message);
  }

  public ApiError(int status, String type, String code, String param, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
  }

  public static ApiError badRequest(String param, String message) {
    return new ApiError(400, "invalid_request_error", "invalid_request", param, message);
  }

  public static ApiError notFound(String code, String message) {
    return new ApiError(404, "invalid_request_error", code, message);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public ApiError header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** The JSON body. */
  public Map<String, Object> body() {
    Map<String, Object> err = new LinkedHashMap<>();
    err.put("message", getMessage());
    err.put("type", type);
    err.put("param", param);
    err.put("code", code);
    return Map.of("error", err);
  }
}
