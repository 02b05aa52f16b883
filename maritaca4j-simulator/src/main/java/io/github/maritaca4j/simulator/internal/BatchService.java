package io.github.maritaca4j.simulator.internal;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

/** The Batch API: files and batches. */
final class BatchService implements AutoCloseable {
  private final SimServer sim;

  BatchService(SimServer sim) {
    this.sim = sim;
  }

  HttpHandler.Response handle(
      HttpMethod method, String sub, QueryStringDecoder qs, FullHttpRequest req) {
    throw new ApiError(
        404, "invalid_request_error", "unknown_url", "Batch API not yet implemented: " + sub);
  }

  @Override
  public void close() {}
}
