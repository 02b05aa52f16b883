package io.github.maritaca4j.junit;

import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link MaritacaSimulator} on a free port of 127.0.0.1 for a test class or for each test,
 * configured with any option of {@link MaritacaSimulator.Builder}, and stops it afterwards.
 *
 * <pre>{@code
 * class TicketClassifierTest {
 *   @RegisterExtension
 *   static MaritacaSimulatorExtension sim = MaritacaSimulatorExtension.builder()
 *       .simulator(b -> b.latency(Latency.fixed(Duration.ofMillis(20)))
 *           .rateLimit("sabia-4", RateLimit.rpm(600)))
 *       .perClass()
 *       .build();
 *
 *   @Test
 *   void classifies(MaritacaSimulator server) {        // injected, or sim.simulator()
 *     ChatMaritaca model = ChatMaritaca.builder()
 *         .baseUrl(server.baseUrl()).apiKey("test").build();
 *     ...
 *     assertThat(server.stats().requests()).isEqualTo(1);
 *   }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> {@link Builder#perClass() Per class} (register it in a {@code static}
 * field): one simulator started before the class's {@code @BeforeAll} methods and closed after its
 * {@code @AfterAll} methods; by default its counters, log, rate-limit buckets and prompt cache are
 * {@link MaritacaSimulator#reset() reset} before each test, so each test sees its own statistics
 * ({@link Builder#resetBeforeEach(boolean)}). {@link Builder#perTest() Per test} (the default): a
 * fresh simulator before each test's {@code @BeforeEach} methods, closed after its
 * {@code @AfterEach} methods. Registered in an instance field, or with
 * {@code @ExtendWith(MaritacaSimulatorExtension.class)} (every default), the simulator is per test
 * whatever the builder says. In {@code @Nested} classes the outer class's simulator is used.
 *
 * <p><b>Injection.</b> A parameter of type {@link MaritacaSimulator} of a test, {@code @BeforeEach}
 * or {@code @AfterEach} method (and, per class, of {@code @BeforeAll} / {@code @AfterAll} methods)
 * receives the simulator of that test.
 *
 * <p>Thread-safety: with per-test simulators and tests running in parallel, use the injected
 * parameter; {@link #simulator()} returns the simulator started last.
 */
public final class MaritacaSimulatorExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(MaritacaSimulatorExtension.class);

  private final Consumer<MaritacaSimulator.Builder> options;
  private final boolean perClass;
  private final boolean resetBeforeEach;
  private volatile MaritacaSimulator last;

  /** A per-test simulator with every default (for {@code @ExtendWith}). */
  public MaritacaSimulatorExtension() {
    this(new Builder());
  }

  private MaritacaSimulatorExtension(Builder b) {
    this.options = b.options;
    this.perClass = b.perClass;
    this.resetBeforeEach = b.resetBeforeEach;
  }

  /** A builder: per test, every simulator default. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The simulator running now (the one started last).
   *
   * @throws IllegalStateException when none is running (outside a test, or after it ended)
   */
  public MaritacaSimulator simulator() {
    MaritacaSimulator s = last;
    if (s == null) {
      throw new IllegalStateException(
          "no simulator is running: it starts "
              + (perClass ? "before the test class" : "before each test")
              + " and stops after it");
    }
    return s;
  }

  /** The base URL of {@link #simulator()}, e.g. {@code http://127.0.0.1:54321/api}. */
  public String baseUrl() {
    return simulator().baseUrl();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (perClass && running(context) == null) {
      start(context);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    MaritacaSimulator running = running(context);
    if (running == null) {
      start(context); // per test, or per class registered where beforeAll is not called
    } else if (resetBeforeEach) {
      running.reset();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stop(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MaritacaSimulator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    MaritacaSimulator s = running(context);
    if (s == null) {
      throw new ParameterResolutionException(
          "no simulator for "
              + parameter.getDeclaringExecutable()
              + ": a per-test simulator exists only from the @BeforeEach methods to the @AfterEach"
              + " methods (use perClass() for @BeforeAll methods and constructors)");
    }
    return s;
  }

  /** The simulator of this context or of an enclosing one, or null. */
  private MaritacaSimulator running(ExtensionContext context) {
    Running r = context.getStore(NAMESPACE).get(this, Running.class);
    return r == null ? null : r.simulator;
  }

  private void start(ExtensionContext context) {
    MaritacaSimulator.Builder b = MaritacaSimulator.builder();
    options.accept(b);
    MaritacaSimulator s = b.start();
    context.getStore(NAMESPACE).put(this, new Running(s, context.getUniqueId()));
    last = s;
  }

  /** Stops the simulator if this context started it. */
  private void stop(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    Running r = store.get(this, Running.class);
    if (r == null || !r.owner.equals(context.getUniqueId())) {
      return;
    }
    store.remove(this);
    if (last == r.simulator) {
      last = null;
    }
    r.simulator.close();
  }

  @Override
  public String toString() {
    return "MaritacaSimulatorExtension[" + (perClass ? "per class" : "per test") + "]";
  }

  /** A started simulator and the unique id of the context that started it. */
  private record Running(MaritacaSimulator simulator, String owner) {}

  /** Builds a {@link MaritacaSimulatorExtension}. Not thread-safe. */
  public static final class Builder {
    private Consumer<MaritacaSimulator.Builder> options = b -> {};
    private boolean perClass;
    private boolean resetBeforeEach = true;

    private Builder() {}

    /**
     * Options applied to a fresh {@link MaritacaSimulator.Builder} before each start (latency, rate
     * limits, faults, API key, seed...). Called again for every simulator started.
     */
    public Builder simulator(Consumer<MaritacaSimulator.Builder> options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** One simulator for the whole test class (register the extension in a static field). */
    public Builder perClass() {
      this.perClass = true;
      return this;
    }

    /** A fresh simulator for each test (the default). */
    public Builder perTest() {
      this.perClass = false;
      return this;
    }

    /**
     * With a per-class simulator, whether to {@link MaritacaSimulator#reset() reset} it before each
     * test (default true).
     */
    public Builder resetBeforeEach(boolean reset) {
      this.resetBeforeEach = reset;
      return this;
    }

    /** Builds the extension. */
    public MaritacaSimulatorExtension build() {
      return new MaritacaSimulatorExtension(this);
    }
  }
}
