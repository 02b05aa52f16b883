package io.github.maritaca4j.simulator.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.IntArrayList;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.RetryHint;
import io.github.maritaca4j.simulator.internal.StatsRecorder.Trace;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One connection's request handler: routing, chat completions, errors. */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);
  private static final String FINGERPRINT = "fp_maritaca4j_sim";

  private enum Fault {
    NONE,
    HANG,
    CONNECTION_RESET,
    SERVER_ERROR,
    MALFORMED_JSON,
    MID_STREAM_RESET,
    TRUNCATED_STREAM
  }

  private final SimServer sim;
  private final Set<Trace> active = ConcurrentHashMap.newKeySet();

  /** Requests pipelined behind the chat request being served (answers go out in order). */
  private final java.util.ArrayDeque<FullHttpRequest> pending = new java.util.ArrayDeque<>();

  /** The chat request being served on this connection (event-loop confined). */
  private Trace current;

  HttpHandler(SimServer sim) {
    this.sim = sim;
  }

  /** A plain (non-chat) response. */
  record Response(int status, byte[] body, String contentType, Map<String, String> headers) {
    static Response json(int status, Object body) {
      return new Response(status, Json.bytes(body), "application/json", Map.of());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    for (Trace t : active) {
      t.finish(0, t.closeOutcome);
    }
    active.clear();
    FullHttpRequest r;
    while ((r = pending.poll()) != null) {
      r.release();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (current != null && !current.isDone()) {
      pending.add(req.retain());
      return;
    }
    handle(ctx, req);
  }

  private void drain(ChannelHandlerContext ctx) {
    while ((current == null || current.isDone()) && !pending.isEmpty()) {
      FullHttpRequest r = pending.poll();
      try {
        handle(ctx, r);
      } finally {
        r.release();
      }
    }
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (!req.decoderResult().isSuccess()) {
      send(
          ctx,
          false,
          Response.json(400, ApiError.badRequest(null, "Malformed HTTP request.").body()),
          null,
          null);
      return;
    }
    QueryStringDecoder qs = new QueryStringDecoder(req.uri());
    String path = qs.path();
    HttpMethod method = req.method();
    try {
      if (path.equals("/__stats")) {
        boolean log = qs.parameters().getOrDefault("log", List.of("false")).contains("true");
        send(ctx, keepAlive, Response.json(200, sim.stats(log)), null, null);
        return;
      }
      if (path.equals("/__reset")) {
        requireMethod(method, HttpMethod.POST, path);
        sim.reset();
        send(ctx, keepAlive, Response.json(200, Map.of("reset", true)), null, null);
        return;
      }
      String sub;
      if (path.startsWith("/api/v1/")) {
        sub = path.substring(7);
      } else if (path.startsWith("/api/") || path.startsWith("/v1/")) {
        sub = path.substring(path.indexOf('/', 1));
      } else {
        throw unknownUrl(method, path);
      }
      if (sub.length() > 1 && sub.endsWith("/")) {
        sub = sub.substring(0, sub.length() - 1);
      }
      if (sub.equals("/chat/completions")) {
        requireMethod(method, HttpMethod.POST, path);
        chat(ctx, req, keepAlive);
        return;
      }
      checkAuth(req);
      Response r;
      if (sub.equals("/models") && method.equals(HttpMethod.GET)) {
        r = Response.json(200, models());
      } else if (sub.startsWith("/models/") && method.equals(HttpMethod.GET)) {
        r = Response.json(200, model(sub.substring(8)));
      } else if (sub.equals("/files")
          || sub.startsWith("/files/")
          || sub.equals("/batches")
          || sub.startsWith("/batches/")) {
        r = sim.batches.handle(method, sub, qs, req);
      } else {
        throw unknownUrl(method, path);
      }
      send(ctx, keepAlive, r, null, null);
    } catch (ApiError e) {
      send(ctx, keepAlive, error(e), null, null);
    } catch (RuntimeException e) {
      send(
          ctx,
          keepAlive,
          error(new ApiError(500, "server_error", "internal_error", "Simulator error: " + e)),
          null,
          null);
    }
  }

  private static void requireMethod(HttpMethod got, HttpMethod want, String path) {
    if (!got.equals(want)) {
      throw new ApiError(
          405,
          "invalid_request_error",
          "method_not_allowed",
          "Method " + got + " not allowed on " + path + " (use " + want + ")");
    }
  }

  private static ApiError unknownUrl(HttpMethod method, String path) {
    return new ApiError(
        404, "invalid_request_error", "unknown_url", "Unknown request URL: " + method + " " + path);
  }

  private void checkAuth(FullHttpRequest req) {
    String key = sim.cfg.apiKey();
    if (key == null) {
      return;
    }
    String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (auth == null) {
      throw new ApiError(
          401,
          "invalid_request_error",
          "invalid_api_key",
          "You didn't provide an API key: send 'Authorization: Bearer <key>'.");
    }
    String given = auth.trim();
    int sp = given.indexOf(' ');
    String scheme = sp < 0 ? "" : given.substring(0, sp);
    String value = sp < 0 ? given : given.substring(sp + 1).trim();
    boolean ok =
        (scheme.equalsIgnoreCase("bearer") || scheme.equalsIgnoreCase("key")) && value.equals(key);
    if (!ok) {
      throw new ApiError(
          401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
    }
  }

  // ---------------------------------------------------------------- models

  private static ObjectNode modelJson(Models.Model m) {
    ObjectNode o = Json.object();
    o.put("id", m.id());
    o.put("object", "model");
    o.put("created", m.created());
    o.put("owned_by", "maritaca-ai");
    o.put("context_length", m.contextLength());
    ObjectNode tp = o.putObject("top_provider");
    tp.put("context_length", m.contextLength());
    tp.put("max_completion_tokens", m.maxOutput());
    ArrayNode al = o.putArray("aliases");
    m.aliases().forEach(al::add);
    return o;
  }

  private static ObjectNode models() {
    ObjectNode o = Json.object();
    o.put("object", "list");
    ArrayNode data = o.putArray("data");
    for (Models.Model m : Models.all()) {
      data.add(modelJson(m));
    }
    return o;
  }

  private static ObjectNode model(String id) {
    Models.Model m = Models.find(id);
    if (m == null) {
      throw ApiError.notFound("model_not_found", "Model '" + id + "' not found");
    }
    return modelJson(m);
  }

  // ---------------------------------------------------------------- chat

  private void chat(ChannelHandlerContext ctx, FullHttpRequest req, boolean keepAlive) {
    Trace t = sim.stats.begin(req.headers().get("x-request-tag"));
    active.add(t);
    current = t;
    t.onFinish(
        () -> {
          active.remove(t);
          // after the task that finished it has written the response
          try {
            ctx.executor().execute(() -> drain(ctx));
          } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
          }
        });
    if (!ctx.channel().isActive()) {
      t.finish(0, "client_gone");
      return;
    }
    ChatRequest cr;
    IntArrayList ids;
    ModelLimiter lim;
    try {
      checkAuth(req);
      cr = ChatRequest.parse(ByteBufUtil.getBytes(req.content()));
      t.model = cr.modelName();
      ids = cr.promptIds(sim.tokens);
      t.promptTokens = ids.size() + 3;
      lim = sim.limiter(cr.model().id());
    } catch (ApiError e) {
      send(ctx, keepAlive, error(e), t, "bad_request");
      return;
    }
    if (lim != null) {
      int reserved = cr.outputReservation();
      ModelLimiter.Decision d = lim.tryAcquire(t.promptTokens, reserved);
      if (!d.admitted()) {
        send(ctx, keepAlive, error(rateLimited(cr, d, lim)), t, d.refusedBy().outcome());
        return;
      }
      t.onFinish(() -> lim.refundOutput(reserved, t.completionTokens));
    }
    if (!cr.flex()) {
      serve(ctx, t, cr, ids, lim, keepAlive);
      return;
    }
    FlexQueue.Waiter[] w = new FlexQueue.Waiter[1];
    FlexQueue.Result res =
        sim.flex.acquire(
            () -> {
              if (t.isDone()) {
                sim.flex.release();
              } else {
                t.onFinish(sim.flex::release);
                serve(ctx, t, cr, ids, lim, keepAlive);
              }
            },
            () ->
                send(
                    ctx,
                    keepAlive,
                    error(
                        new ApiError(
                            429,
                            "rate_limit_error",
                            "flex_capacity_exceeded",
                            "Flex capacity exceeded: the request waited "
                                + fmtDuration(sim.cfg.flexMaxWait().toNanos())
                                + " in the flex queue without a slot. Try again later or use the"
                                + " default tier.")),
                    t,
                    "rate_limited_flex"),
            ctx.executor(),
            w);
    switch (res) {
      case GRANTED_NOW -> {
        t.onFinish(sim.flex::release);
        serve(ctx, t, cr, ids, lim, keepAlive);
      }
      case QUEUED -> t.onFinish(() -> sim.flex.cancel(w[0]));
      case QUEUE_FULL ->
          send(
              ctx,
              keepAlive,
              error(
                  new ApiError(
                      429,
                      "rate_limit_error",
                      "flex_queue_full",
                      "Flex capacity exceeded: the flex queue is full ("
                          + sim.cfg.flexCapacity()
                          + " waiting). Try again later or use the default tier.")),
              t,
              "rate_limited_flex");
    }
  }

  private ApiError rateLimited(ChatRequest cr, ModelLimiter.Decision d, ModelLimiter lim) {
    ApiError e;
    String what = d.refusedBy().label();
    if (d.tooLarge()) {
      e =
          new ApiError(
              429,
              "rate_limit_error",
              "request_too_large",
              "Request too large for "
                  + cr.model().id()
                  + " on "
                  + what
                  + ": limit "
                  + d.limit()
                  + ", requested "
                  + (long) Math.ceil(d.demand())
                  + ". It can never fit: send a smaller request.");
    } else {
      e =
          new ApiError(
              429,
              "rate_limit_error",
              "rate_limit_exceeded",
              "Rate limit exceeded: "
                  + what
                  + " for "
                  + cr.model().id()
                  + ": limit "
                  + d.limit()
                  + ", requested "
                  + (long) Math.ceil(d.demand())
                  + ". Please try again in "
                  + fmtDuration(d.waitNanos())
                  + ".");
      retryHint(e, d.waitNanos());
    }
    rateLimitHeaders(e.headers(), lim);
    return e;
  }

  private void retryHint(ApiError e, long waitNanos) {
    RetryHint hint = sim.cfg.retryHint();
    long secs = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    switch (hint) {
      case SECONDS -> e.header("retry-after", Long.toString(secs));
      case HTTP_DATE -> {
        long now = System.currentTimeMillis();
        long ms = now + (waitNanos + 999_999L) / 1_000_000L;
        long s = (ms + 999) / 1000; // round up to the next whole second
        e.header("retry-after", HTTP_DATE.format(Instant.ofEpochSecond(s)));
        // the Date the client reads the hint against: the same instant, not the write's
        e.header("date", DateHeader.INSTANCE.format(Math.floorDiv(now, 1000)));
      }
      case MILLIS ->
          e.header(
              "retry-after-ms", Long.toString(Math.max(1, (waitNanos + 999_999L) / 1_000_000L)));
      case NONE -> {}
    }
  }

  private void rateLimitHeaders(Map<String, String> h, ModelLimiter lim) {
    if (!sim.cfg.rateLimitHeaders() || lim == null) {
      return;
    }
    ModelLimiter.Snapshot s = lim.snapshot();
    if (s.rpmLimit() > 0) {
      h.put("x-ratelimit-limit-requests", Long.toString(s.rpmLimit()));
      h.put("x-ratelimit-remaining-requests", Long.toString(s.rpmRemaining()));
      h.put("x-ratelimit-reset-requests", fmtDuration(s.rpmResetNanos()));
    }
    if (s.tpmLimit() > 0) {
      h.put("x-ratelimit-limit-tokens", Long.toString(s.tpmLimit()));
      h.put("x-ratelimit-remaining-tokens", Long.toString(s.tpmRemaining()));
      h.put("x-ratelimit-reset-tokens", fmtDuration(s.tpmResetNanos()));
    }
  }

  /** OpenAI-style duration: {@code 20ms}, {@code 1.5s}, {@code 6m0s}. */
  static String fmtDuration(long nanos) {
    if (nanos < 1_000_000_000L) {
      return Math.max(0, (nanos + 999_999L) / 1_000_000L) + "ms";
    }
    double s = nanos / 1e9;
    if (s < 60) {
      String v = String.format(Locale.ROOT, "%.3f", s).replaceAll("0+$", "").replaceAll("\\.$", "");
      return v + "s";
    }
    long total = (long) Math.ceil(s);
    long h = total / 3600;
    long m = (total % 3600) / 60;
    long sec = total % 60;
    return (h > 0 ? h + "h" : "") + m + "m" + sec + "s";
  }

  private Fault drawFault(boolean stream) {
    var f = sim.cfg.faults();
    if (f.totalRate() <= 0) {
      return Fault.NONE;
    }
    double u = sim.faultRandom.nextDouble();
    double[] rates = {
      f.hangRate(),
      f.connectionResetRate(),
      f.serverErrorRate(),
      f.malformedJsonRate(),
      f.midStreamResetRate(),
      f.truncatedStreamRate()
    };
    Fault[] kinds = {
      Fault.HANG,
      Fault.CONNECTION_RESET,
      Fault.SERVER_ERROR,
      Fault.MALFORMED_JSON,
      Fault.MID_STREAM_RESET,
      Fault.TRUNCATED_STREAM
    };
    double acc = 0;
    for (int i = 0; i < rates.length; i++) {
      acc += rates[i];
      if (u < acc) {
        if (!stream && (kinds[i] == Fault.MID_STREAM_RESET || kinds[i] == Fault.TRUNCATED_STREAM)) {
          return Fault.NONE;
        }
        return kinds[i];
      }
    }
    return Fault.NONE;
  }

  private void serve(
      ChannelHandlerContext ctx,
      Trace t,
      ChatRequest cr,
      IntArrayList ids,
      ModelLimiter lim,
      boolean keepAlive) {
    if (t.isDone() || !ctx.channel().isActive()) {
      t.finish(0, "client_gone");
      return;
    }
    Fault fault = drawFault(cr.stream());
    Generator.Completion comp = sim.generator.complete(cr);
    // found only among prompts already answered; this one counts once it is answered too
    int cached = sim.prefixCache.lookup(cr.model().id(), ids);
    t.cachedTokens = cached;
    Latency lat = sim.cfg.latency();
    double jitter = lat.sigma() > 0 ? Math.exp(lat.sigma() * sim.latencyRandom.nextGaussian()) : 1;
    long base = (long) (lat.base().toNanos() * jitter);
    long perTok = (long) (lat.perOutputToken().toNanos() * jitter);
    long total = base + perTok * comp.completionTokens();
    switch (fault) {
      case HANG -> {
        sim.stats.fault("hang");
        t.closeOutcome = "fault_hang";
      }
      case CONNECTION_RESET -> {
        sim.stats.fault("connection_reset");
        later(ctx, base, () -> reset(ctx, t, "fault_connection_reset"));
      }
      case SERVER_ERROR -> {
        sim.stats.fault("server_error");
        List<Integer> codes = sim.cfg.faults().serverErrorCodes();
        int code = codes.get(sim.faultRandom.nextInt(codes.size()));
        ApiError e =
            new ApiError(
                code,
                "server_error",
                code == 503 ? "service_unavailable" : "server_error",
                "The server had an error while processing your request (simulated "
                    + code
                    + "). Sorry about that!");
        later(ctx, base, () -> send(ctx, keepAlive, error(e), t, "fault_server_error"));
      }
      default -> {
        if (fault != Fault.NONE) {
          sim.stats.fault(
              switch (fault) {
                case MALFORMED_JSON -> "malformed_json";
                case MID_STREAM_RESET -> "mid_stream_reset";
                default -> "truncated_stream";
              });
        }
        t.completionTokens = comp.completionTokens();
        if (cr.stream()) {
          stream(ctx, t, cr, comp, cached, base, perTok, lim, keepAlive, fault);
          if (fault == Fault.NONE) {
            // the first token means the prompt has been read: it is cached from then on
            later(ctx, base, () -> sim.prefixCache.remember(cr.model().id(), ids));
          }
        } else {
          later(
              ctx,
              total,
              () -> {
                byte[] body =
                    Json.bytes(
                        completionJson(sim.nextId("chatcmpl-"), cr, comp, t.promptTokens, cached));
                String outcome = "ok";
                if (fault == Fault.MALFORMED_JSON) {
                  body = java.util.Arrays.copyOf(body, Math.max(1, body.length / 2));
                  outcome = "fault_malformed_json";
                }
                Map<String, String> h = new LinkedHashMap<>();
                rateLimitHeaders(h, lim);
                sim.prefixCache.remember(cr.model().id(), ids);
                send(ctx, keepAlive, new Response(200, body, "application/json", h), t, outcome);
              });
        }
      }
    }
  }

  private static void later(ChannelHandlerContext ctx, long nanos, Runnable r) {
    if (nanos <= 0) {
      r.run();
    } else {
      ctx.executor().schedule(r, nanos, TimeUnit.NANOSECONDS);
    }
  }

  private void reset(ChannelHandlerContext ctx, Trace t, String outcome) {
    t.finish(0, outcome);
    if (ctx.channel().isActive()) {
      ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      ctx.channel().close();
    }
  }

  static ObjectNode usage(int prompt, int completion, int cached) {
    ObjectNode u = Json.object();
    u.put("prompt_tokens", prompt);
    u.put("completion_tokens", completion);
    u.put("total_tokens", prompt + completion);
    u.putObject("prompt_tokens_details").put("cached_tokens", cached);
    return u;
  }

  static ObjectNode completionJson(
      String id, ChatRequest cr, Generator.Completion comp, int prompt, int cached) {
    ObjectNode o = Json.object();
    o.put("id", id);
    o.put("object", "chat.completion");
    o.put("created", System.currentTimeMillis() / 1000);
    o.put("model", cr.modelName());
    ArrayNode choices = o.putArray("choices");
    for (Generator.Choice c : comp.choices()) {
      ObjectNode ch = choices.addObject();
      ch.put("index", c.index());
      ObjectNode msg = ch.putObject("message");
      msg.put("role", "assistant");
      if (c.content() == null) {
        msg.putNull("content");
      } else {
        msg.put("content", c.content());
      }
      if (c.toolCalls() == null) {
        msg.putNull("tool_calls");
      } else {
        ArrayNode tcs = msg.putArray("tool_calls");
        for (Generator.ToolCall tc : c.toolCalls()) {
          ObjectNode x = tcs.addObject();
          x.put("id", tc.id());
          x.put("type", "function");
          x.putObject("function").put("name", tc.name()).put("arguments", tc.arguments());
        }
      }
      ch.putNull("logprobs");
      ch.put("finish_reason", c.finishReason());
    }
    o.set("usage", usage(prompt, comp.completionTokens(), cached));
    o.put("service_tier", cr.flex() ? "flex" : "default");
    o.put("system_fingerprint", FINGERPRINT);
    return o;
  }

  // ---------------------------------------------------------------- streaming

  private record Event(String data, long delayNanos, boolean content) {}

  private List<String[]> chunks(String text) {
    List<String[]> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int tokens = 0;
    for (String p : TokenCounter.pieces(text)) {
      cur.append(p);
      tokens += sim.tokens.encodePiece(p).length;
      if (tokens >= 3) {
        out.add(new String[] {cur.toString(), Integer.toString(tokens)});
        cur.setLength(0);
        tokens = 0;
      }
    }
    if (cur.length() > 0) {
      out.add(new String[] {cur.toString(), Integer.toString(tokens)});
    }
    return out;
  }

  private List<Event> events(
      ChatRequest cr,
      Generator.Completion comp,
      int prompt,
      int cached,
      long base,
      long perTok,
      boolean withFinish) {
    String id = sim.nextId("chatcmpl-");
    long created = System.currentTimeMillis() / 1000;
    List<Event> ev = new ArrayList<>();
    boolean first = true;
    for (Generator.Choice c : comp.choices()) {
      List<ObjectNode> deltas = new ArrayList<>();
      List<Integer> toks = new ArrayList<>();
      if (c.toolCalls() != null) {
        for (int k = 0; k < c.toolCalls().size(); k++) {
          Generator.ToolCall tc = c.toolCalls().get(k);
          ObjectNode d = Json.object();
          d.put("role", "assistant");
          d.putNull("content");
          ObjectNode x = d.putArray("tool_calls").addObject();
          x.put("index", k);
          x.put("id", tc.id());
          x.put("type", "function");
          x.putObject("function").put("name", tc.name()).put("arguments", "");
          deltas.add(d);
          toks.add(sim.tokens.count(tc.name()));
          for (String[] piece : chunks(tc.arguments())) {
            ObjectNode a = Json.object();
            ObjectNode y = a.putArray("tool_calls").addObject();
            y.put("index", k);
            y.putObject("function").put("arguments", piece[0]);
            deltas.add(a);
            toks.add(Integer.parseInt(piece[1]));
          }
        }
      } else {
        List<String[]> pieces = chunks(c.content());
        if (pieces.isEmpty()) {
          pieces = java.util.Collections.singletonList(new String[] {"", "0"});
        }
        for (int k = 0; k < pieces.size(); k++) {
          ObjectNode d = Json.object();
          if (k == 0) {
            d.put("role", "assistant");
          }
          d.put("content", pieces.get(k)[0]);
          deltas.add(d);
          toks.add(Integer.parseInt(pieces.get(k)[1]));
        }
      }
      for (int k = 0; k < deltas.size(); k++) {
        boolean last = k == deltas.size() - 1;
        ObjectNode chunk = chunkHead(id, created, cr);
        ObjectNode ch = chunk.putArray("choices").addObject();
        ch.put("index", c.index());
        ch.set("delta", deltas.get(k));
        ch.putNull("logprobs");
        if (last && withFinish && c.toolCalls() == null) {
          ch.put("finish_reason", c.finishReason());
        } else {
          ch.putNull("finish_reason");
        }
        if (cr.includeUsage) {
          chunk.putNull("usage");
        }
        long delay = first ? base : perTok * toks.get(k);
        first = false;
        ev.add(new Event(Json.string(chunk), delay, true));
      }
      if (c.toolCalls() != null && withFinish) {
        ObjectNode chunk = chunkHead(id, created, cr);
        ObjectNode ch = chunk.putArray("choices").addObject();
        ch.put("index", c.index());
        ch.putObject("delta");
        ch.putNull("logprobs");
        ch.put("finish_reason", c.finishReason());
        if (cr.includeUsage) {
          chunk.putNull("usage");
        }
        ev.add(new Event(Json.string(chunk), 0, true));
      }
    }
    if (withFinish && cr.includeUsage) {
      ObjectNode chunk = chunkHead(id, created, cr);
      chunk.putArray("choices");
      chunk.set("usage", usage(prompt, comp.completionTokens(), cached));
      ev.add(new Event(Json.string(chunk), 0, false));
    }
    if (withFinish) {
      ev.add(new Event("[DONE]", 0, false));
    }
    return ev;
  }

  private ObjectNode chunkHead(String id, long created, ChatRequest cr) {
    ObjectNode chunk = Json.object();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", created);
    chunk.put("model", cr.modelName());
    chunk.put("service_tier", cr.flex() ? "flex" : "default");
    chunk.put("system_fingerprint", FINGERPRINT);
    return chunk;
  }

  private void stream(
      ChannelHandlerContext ctx,
      Trace t,
      ChatRequest cr,
      Generator.Completion comp,
      int cached,
      long base,
      long perTok,
      ModelLimiter lim,
      boolean keepAlive,
      Fault fault) {
    boolean complete = fault == Fault.NONE || fault == Fault.MALFORMED_JSON;
    List<Event> ev = events(cr, comp, t.promptTokens, cached, base, perTok, complete);
    String outcome = "ok";
    if (!complete) {
      long contentEvents = ev.stream().filter(Event::content).count();
      int keep = (int) Math.max(1, contentEvents / 2);
      ev = new ArrayList<>(ev.subList(0, keep));
      outcome =
          fault == Fault.MID_STREAM_RESET ? "fault_mid_stream_reset" : "fault_truncated_stream";
    } else if (fault == Fault.MALFORMED_JSON) {
      ev = new ArrayList<>(ev);
      int at = Math.min(1, ev.size() - 1);
      Event e = ev.get(at);
      String broken = e.data().substring(0, Math.max(1, e.data().length() / 2));
      ev.set(at, new Event(broken, e.delayNanos(), e.content()));
      outcome = "fault_malformed_json";
    }
    Map<String, String> h = new LinkedHashMap<>();
    rateLimitHeaders(h, lim);
    new StreamWriter(ctx, t, ev, fault, outcome, keepAlive, h).next(0);
  }

  /** Writes events one by one, each after its delay, on the channel's event loop. */
  private final class StreamWriter {
    private final ChannelHandlerContext ctx;
    private final Trace t;
    private final List<Event> ev;
    private final Fault fault;
    private final String outcome;
    private final boolean keepAlive;
    private final Map<String, String> headers;
    private boolean headSent;

    StreamWriter(
        ChannelHandlerContext ctx,
        Trace t,
        List<Event> ev,
        Fault fault,
        String outcome,
        boolean keepAlive,
        Map<String, String> headers) {
      this.ctx = ctx;
      this.t = t;
      this.ev = ev;
      this.fault = fault;
      this.outcome = outcome;
      this.keepAlive = keepAlive;
      this.headers = headers;
    }

    void next(int i) {
      if (i < ev.size() && ev.get(i).delayNanos() > 0) {
        ctx.executor().schedule(() -> write(i), ev.get(i).delayNanos(), TimeUnit.NANOSECONDS);
      } else {
        write(i);
      }
    }

    private void write(int from) {
      if (t.isDone() || !ctx.channel().isActive()) {
        t.finish(0, "client_gone");
        return;
      }
      if (!headSent) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        r.headers().set("x-request-id", sim.nextId("req_"));
        headers.forEach((k, v) -> r.headers().set(k, v));
        HttpUtil.setTransferEncodingChunked(r, true);
        if (!keepAlive) {
          r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.write(r);
        headSent = true;
      }
      int i = from;
      do {
        String line = "data: " + ev.get(i).data() + "\n\n";
        ctx.write(
            new DefaultHttpContent(Unpooled.wrappedBuffer(line.getBytes(StandardCharsets.UTF_8))));
        i++;
      } while (i < ev.size() && ev.get(i).delayNanos() <= 0);
      if (i < ev.size()) {
        ctx.flush();
        next(i);
        return;
      }
      if (fault == Fault.MID_STREAM_RESET) {
        ctx.flush();
        // a little later, so that the chunks reach the client before the RST (which makes the
        // peer's kernel drop data it has not read yet)
        ctx.executor().schedule(() -> reset(ctx, t, outcome), 100, TimeUnit.MILLISECONDS);
        return;
      }
      // finished when the last bytes are handed to the transport: before the client can see them
      t.finish(200, outcome);
      ChannelFuture f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  // ---------------------------------------------------------------- writing

  static Response error(ApiError e) {
    return new Response(e.status(), Json.bytes(e.body()), "application/json", e.headers());
  }

  private void send(
      ChannelHandlerContext ctx, boolean keepAlive, Response r, Trace t, String outcome) {
    if (t != null && t.isDone()) {
      return;
    }
    FullHttpResponse resp =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(r.status()),
            Unpooled.wrappedBuffer(r.body()));
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
    resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
    if (t != null) {
      resp.headers().set("x-request-id", sim.nextId("req_"));
    }
    r.headers().forEach((k, v) -> resp.headers().set(k, v));
    if (!keepAlive) {
      resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (!HttpVersion.HTTP_1_1.equals(resp.protocolVersion())) {
      resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    if (!ctx.channel().isActive()) {
      resp.release();
      if (t != null) {
        t.finish(0, "client_gone");
      }
      return;
    }
    if (t != null) {
      // finished when the response is handed to the transport: before the client can see it, so
      // the server's in-flight interval always lies inside the client's
      t.finish(r.status(), outcome);
    }
    ChannelFuture f = ctx.writeAndFlush(resp);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
