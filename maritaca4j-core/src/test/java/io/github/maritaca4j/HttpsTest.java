package io.github.maritaca4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.errors.AuthenticationException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport over TLS as real base URLs use it: HTTP/2 negotiated by ALPN (the JDK client's
 * default for https), many requests in flight on one connection, streams beside plain calls. The
 * simulator speaks plain HTTP/1.1 only, so this test has a small Netty server of its own with a
 * self-signed certificate made by {@code keytool}.
 */
class HttpsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final AtomicInteger H2_REQUESTS = new AtomicInteger();
  private static final AtomicInteger H1_REQUESTS = new AtomicInteger();

  @TempDir static Path dir;
  private static NioEventLoopGroup group;
  private static Channel server;
  private static SSLContext clientTls;
  private static String baseUrl;

  @BeforeAll
  static void start() throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASSWORD);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, tmf.getTrustManagers(), null);

    SslContext serverTls =
        SslContextBuilder.forServer(kmf)
            .sslProvider(SslProvider.JDK)
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    ApplicationProtocolNames.HTTP_2,
                    ApplicationProtocolNames.HTTP_1_1))
            .build();
    group = new NioEventLoopGroup(2);
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(serverTls.newHandler(ch.alloc()), new Negotiation());
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    baseUrl = "https://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/api";
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close().sync();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** HTTP/2 or HTTP/1.1, as ALPN decided; both end in {@link Answer}. */
  private static final class Negotiation extends ApplicationProtocolNegotiationHandler {
    Negotiation() {
      super(ApplicationProtocolNames.HTTP_1_1);
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
      ChannelPipeline p = ctx.pipeline();
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        p.addLast(Http2FrameCodecBuilder.forServer().build());
        p.addLast(
            new Http2MultiplexHandler(
                new ChannelInitializer<Http2StreamChannel>() {
                  @Override
                  protected void initChannel(Http2StreamChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new Http2StreamFrameToHttpObjectCodec(true),
                            new HttpObjectAggregator(1 << 20),
                            new Answer(H2_REQUESTS));
                  }
                }));
      } else {
        p.addLast(
            new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Answer(H1_REQUESTS));
      }
    }
  }

  /** A chat completion after a few milliseconds, or a short SSE stream. */
  private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final AtomicInteger counter;

    Answer(AtomicInteger counter) {
      this.counter = counter;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      counter.incrementAndGet();
      String body = req.content().toString(StandardCharsets.UTF_8);
      boolean stream = body.contains("\"stream\":true");
      String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
      String payload;
      String type;
      HttpResponseStatus status = HttpResponseStatus.OK;
      if (!"Bearer tls-key".equals(auth)) {
        status = HttpResponseStatus.UNAUTHORIZED;
        type = "application/json";
        payload = "{\"error\":{\"message\":\"bad key\",\"type\":\"authentication_error\"}}";
      } else if (stream) {
        type = "text/event-stream";
        payload =
            "data: {\"id\":\"s\",\"model\":\"sabia-4\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"role\":\"assistant\",\"content\":\"Bra\"}}]}\n\n"
                + "data: {\"id\":\"s\",\"model\":\"sabia-4\",\"choices\":[{\"index\":0,\"delta\":"
                + "{\"content\":\"sília\"},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: {\"id\":\"s\",\"model\":\"sabia-4\",\"choices\":[],\"usage\":"
                + "{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9}}\n\n"
                + "data: [DONE]\n\n";
      } else {
        type = "application/json";
        payload =
            "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"sabia-4\",\"choices\":"
                + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Brasília\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":7,"
                + "\"completion_tokens\":2,\"total_tokens\":9}}";
      }
      FullHttpResponse resp =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
      resp.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, type)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes())
          .set("x-ratelimit-limit-requests", "100000")
          .set("x-ratelimit-remaining-requests", "99999")
          .set("x-ratelimit-reset-requests", "1ms");
      ctx.executor()
          .schedule(
              () -> ctx.writeAndFlush(resp),
              ThreadLocalRandom.current().nextInt(1, 6),
              TimeUnit.MILLISECONDS);
    }
  }

  private static ChatMaritaca client() throws Exception {
    // the JDK client takes the default SSLContext when it is built
    SSLContext previous = SSLContext.getDefault();
    SSLContext.setDefault(clientTls);
    try {
      return ChatMaritaca.builder()
          .baseUrl(baseUrl)
          .apiKey("tls-key")
          .timeout(Duration.ofSeconds(20))
          .clock(TestClocks.peak())
          .build();
    } finally {
      SSLContext.setDefault(previous);
    }
  }

  private static List<List<Message>> questions(int n) {
    List<List<Message>> in = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      in.add(List.of(Message.user("Qual é a capital do Brasil? (" + i + ")")));
    }
    return in;
  }

  @Test
  void aBatchOverHttp2AndTlsFinishesWithManyRequestsInFlight() throws Exception {
    ChatMaritaca c = client();
    int before = H2_REQUESTS.get();
    BatchResult r =
        c.batchAsync(questions(600), BatchOptions.withConcurrency(50)).get(60, TimeUnit.SECONDS);
    assertThat(r.allSucceeded()).isTrue();
    assertThat(r.results()).allSatisfy(res -> assertThat(res.content()).isEqualTo("Brasília"));
    assertThat(H2_REQUESTS.get() - before).isEqualTo(600);
  }

  @Test
  void streamsAndPlainCallsShareTheServerOverTls() throws Exception {
    ChatMaritaca c = client();
    StringBuilder text = new StringBuilder();
    ChatResult streamed =
        c.stream(
                List.of(Message.user("Olá")),
                new StreamHandler() {
                  @Override
                  public void onText(String delta) {
                    text.append(delta);
                  }
                })
            .get(20, TimeUnit.SECONDS);
    assertThat(text).hasToString("Brasília");
    assertThat(streamed.usage().totalTokens()).isEqualTo(9);
    assertThat(c.invoke(List.of(Message.user("Olá"))).content()).isEqualTo("Brasília");
    assertThat(c.toBuilder().build().invoke(List.of(Message.user("Olá"))).rateLimitStatus())
        .isPresent();
  }

  @Test
  void aWrongKeyOverTlsIsAnAuthenticationError() throws Exception {
    ChatMaritaca c = client().toBuilder().apiKey("wrong").build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.invoke(List.of(Message.user("x"))))
        .isInstanceOf(AuthenticationException.class);
  }
}
