package io.github.maritaca4j.simulator.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Gives every response a {@code Date} header (RFC 1123, GMT, the real time), as real servers do:
 * clients read an HTTP-date {@code Retry-After} against it rather than against their own clock. A
 * response that has one already (a 429 whose hint was computed from the same instant) keeps it.
 * Sits between the codec and the aggregator, so the aggregator's own answers (413, 100 Continue)
 * get one too. Stateless apart from a one-second cache of the formatted value; shared.
 */
@ChannelHandler.Sharable
final class DateHeader extends ChannelOutboundHandlerAdapter {
  static final DateHeader INSTANCE = new DateHeader();

  private record Cached(long second, String text) {}

  private volatile Cached cached = new Cached(Long.MIN_VALUE, "");

  private DateHeader() {}

  /** The header value for the epoch second {@code second}. */
  String format(long second) {
    Cached c = cached;
    if (c.second() != second) {
      c = new Cached(second, HttpHandler.HTTP_DATE.format(java.time.Instant.ofEpochSecond(second)));
      cached = c;
    }
    return c.text();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof HttpResponse r && !r.headers().contains(HttpHeaderNames.DATE)) {
      r.headers()
          .set(HttpHeaderNames.DATE, format(Math.floorDiv(System.currentTimeMillis(), 1000)));
    }
    ctx.write(msg, promise);
  }
}
