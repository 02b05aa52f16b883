package io.github.maritaca4j.simulator.internal;

import io.github.maritaca4j.simulator.RateLimit;
import io.github.maritaca4j.simulator.SimulatorStats;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The running server: Netty plumbing plus the shared state every connection uses. */
public final class SimServer implements AutoCloseable {
  static final String HOST = "127.0.0.1";

  /** Largest request body accepted (Batch API files are up to 200 MB). */
  static final int MAX_BODY = 210 * 1024 * 1024;

  final SimConfig cfg;
  final TokenCounter tokens;
  final StatsRecorder stats = new StatsRecorder();
  final PrefixCache prefixCache = new PrefixCache();
  final FlexQueue flex;
  final Generator generator;
  final Random faultRandom;
  final Random latencyRandom;
  final AtomicLong ids = new AtomicLong();
  final BatchService batches;
  private final ConcurrentHashMap<String, Optional<ModelLimiter>> limiters =
      new ConcurrentHashMap<>();
  private EventLoopGroup group;
  private ChannelGroup channels;
  private Channel server;
  private int port;

  public SimServer(SimConfig cfg, TokenCounter tokens) {
    this.cfg = cfg;
    this.tokens = tokens;
    this.flex =
        new FlexQueue(cfg.flexConcurrency(), cfg.flexCapacity(), cfg.flexMaxWait().toNanos());
    this.generator = new Generator(cfg.seed(), cfg.answerLength(), tokens);
    this.faultRandom = new Random(cfg.seed() ^ 0x6A09E667F3BCC909L);
    this.latencyRandom = new Random(cfg.seed() ^ 0xBB67AE8584CAA73BL);
    this.batches = new BatchService(this);
  }

  /** Batch API rows that fail or go missing (see {@code BatchRowFaults}); call before start. */
  public void batchRowFaults(int failEvery, int dropEvery) {
    batches.rowFaults(failEvery, dropEvery);
  }

  /** Binds 127.0.0.1 and starts serving. */
  public synchronized void start() throws InterruptedException {
    group = new NioEventLoopGroup(cfg.ioThreads(), new DefaultThreadFactory("maritaca-sim", true));
    channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    channels.add(ch);
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(DateHeader.INSTANCE)
                        .addLast(new HttpObjectAggregator(MAX_BODY))
                        .addLast(new HttpHandler(SimServer.this));
                  }
                });
    try {
      server = b.bind(HOST, cfg.port()).sync().channel();
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    channels.add(server);
    port = ((InetSocketAddress) server.localAddress()).getPort();
    // after binding, so that it does not compete with start-up for the CPU
    if (tokens == TokenCounter.cl100k()) {
      TokenCounter.warmUpDefaultInBackground();
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://" + HOST + ":" + port + "/api";
  }

  public SimulatorStats stats(boolean withLog) {
    return stats.snapshot(withLog);
  }

  /** Zeroes counters and limiter state (and the prefix cache). */
  public void reset() {
    stats.reset();
    limiters.clear();
    prefixCache.clear();
  }

  /** The limiter of a canonical model, null when it has no limit. */
  ModelLimiter limiter(String canonicalModel) {
    return limiters
        .computeIfAbsent(
            canonicalModel,
            m -> {
              RateLimit l = cfg.limitFor(m);
              return l.isUnlimited()
                  ? Optional.empty()
                  : Optional.of(new ModelLimiter(l, cfg.burst().toNanos(), cfg.nanoClock()));
            })
        .orElse(null);
  }

  String nextId(String prefix) {
    long n = ids.incrementAndGet();
    long x = (n + cfg.seed()) * 0x9E3779B97F4A7C15L;
    x ^= x >>> 29;
    return prefix + Long.toHexString(x & Long.MAX_VALUE) + Long.toHexString(n);
  }

  @Override
  public synchronized void close() {
    if (group == null) {
      return;
    }
    try {
      channels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    } finally {
      batches.close();
      group
          .shutdownGracefully(10, 1000, TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(3, TimeUnit.SECONDS);
      group = null;
    }
  }
}
