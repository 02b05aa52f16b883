package io.github.maritaca4j.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.errors.AuthenticationException;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension, run on fixture test classes through the JUnit Platform's test kit: which simulator
 * each test gets, when it starts and stops, and what is injected.
 */
class MaritacaSimulatorExtensionTest {
  /** What the fixtures saw, by fixture: the simulators (in order of the methods that ran). */
  static final Map<String, List<MaritacaSimulator>> SEEN = new ConcurrentHashMap<>();

  static void saw(String fixture, MaritacaSimulator sim) {
    SEEN.computeIfAbsent(fixture, k -> new CopyOnWriteArrayList<>()).add(sim);
  }

  static List<MaritacaSimulator> seen(String fixture) {
    return SEEN.getOrDefault(fixture, List.of());
  }

  static void ask(MaritacaSimulator sim) {
    ChatMaritaca.builder()
        .baseUrl(sim.baseUrl())
        .apiKey("k")
        .build()
        .invoke(List.of(Message.user("Olá")));
  }

  static Events run(Class<?> fixture) {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(fixture))
        .execute()
        .testEvents();
  }

  static boolean listening(MaritacaSimulator sim) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", sim.port()), 1000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ fixtures

  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class PerClassFixture {
    @RegisterExtension
    static MaritacaSimulatorExtension sim = MaritacaSimulatorExtension.builder().perClass().build();

    @BeforeAll
    static void beforeAll(MaritacaSimulator s) {
      saw("perClass", s);
    }

    @Test
    void a(MaritacaSimulator s) {
      saw("perClass", s);
      assertThat(sim.simulator()).isSameAs(s);
      ask(s);
      assertThat(s.statsWithoutLog().requests()).isEqualTo(1);
    }

    @Test
    void b(MaritacaSimulator s) {
      saw("perClass", s);
      ask(s);
      // reset before each test: this test's request only
      assertThat(s.statsWithoutLog().requests()).isEqualTo(1);
    }

    @AfterAll
    static void afterAll(MaritacaSimulator s) {
      assertThat(listening(s)).isTrue(); // still up in @AfterAll
    }
  }

  @TestMethodOrder(MethodOrderer.MethodName.class)
  static class PerClassWithoutResetFixture {
    @RegisterExtension
    static MaritacaSimulatorExtension sim =
        MaritacaSimulatorExtension.builder().perClass().resetBeforeEach(false).build();

    @Test
    void a(MaritacaSimulator s) {
      ask(s);
      assertThat(s.statsWithoutLog().requests()).isEqualTo(1);
    }

    @Test
    void b(MaritacaSimulator s) {
      ask(s);
      assertThat(s.statsWithoutLog().requests()).isEqualTo(2);
    }
  }

  static class PerTestFixture {
    @RegisterExtension
    static MaritacaSimulatorExtension sim =
        MaritacaSimulatorExtension.builder()
            .simulator(b -> b.requireApiKey("the-key"))
            .perTest()
            .build();

    @BeforeEach
    void before(MaritacaSimulator s) {
      saw("perTest.before", s);
    }

    @Test
    void one(MaritacaSimulator s) {
      saw("perTest", s);
      assertThat(sim.baseUrl()).isEqualTo(s.baseUrl());
      // the builder's options apply: this simulator wants another key
      assertThatThrownBy(() -> ask(s)).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void two(MaritacaSimulator s) {
      saw("perTest", s);
      assertThat(s.statsWithoutLog().requests()).isZero();
    }

    @AfterEach
    void after(MaritacaSimulator s) {
      assertThat(listening(s)).isTrue(); // still up in @AfterEach
    }
  }

  @ExtendWith(MaritacaSimulatorExtension.class)
  static class ExtendWithFixture {
    @Test
    void injected(MaritacaSimulator s) {
      saw("extendWith", s);
      ask(s);
      assertThat(s.statsWithoutLog().ok()).isEqualTo(1);
    }
  }

  static class BeforeAllWithPerTestFixture {
    @RegisterExtension
    static MaritacaSimulatorExtension sim = MaritacaSimulatorExtension.builder().build();

    @BeforeAll
    static void tooEarly(MaritacaSimulator s) {}

    @Test
    void never() {}
  }

  static class NestedFixture {
    @RegisterExtension
    static MaritacaSimulatorExtension sim = MaritacaSimulatorExtension.builder().perClass().build();

    @Test
    void outer(MaritacaSimulator s) {
      saw("nested", s);
    }

    @Nested
    class Inner {
      @Test
      void inner(MaritacaSimulator s) {
        saw("nested", s);
        ask(s);
      }
    }
  }

  // ------------------------------------------------------------------ tests

  @Test
  void perClassStartsOneSimulatorForTheClassResetsItBeforeEachTestAndStopsIt() {
    SEEN.remove("perClass");
    run(PerClassFixture.class).assertStatistics(s -> s.started(2).succeeded(2));
    List<MaritacaSimulator> sims = seen("perClass");
    assertThat(sims).hasSize(3).containsOnly(sims.get(0));
    assertThat(listening(sims.get(0))).isFalse();
    assertThatThrownBy(() -> PerClassFixture.sim.simulator())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before the test class");
  }

  @Test
  void perClassWithoutResetKeepsTheCountersAcrossTests() {
    run(PerClassWithoutResetFixture.class).assertStatistics(s -> s.started(2).succeeded(2));
  }

  @Test
  void perTestStartsAFreshSimulatorWithTheOptionsForEachTest() {
    SEEN.remove("perTest");
    SEEN.remove("perTest.before");
    run(PerTestFixture.class).assertStatistics(s -> s.started(2).succeeded(2));
    List<MaritacaSimulator> sims = seen("perTest");
    assertThat(sims).hasSize(2);
    assertThat(sims.get(0)).isNotSameAs(sims.get(1));
    assertThat(seen("perTest.before")).containsExactlyInAnyOrderElementsOf(sims);
    assertThat(sims).noneMatch(MaritacaSimulatorExtensionTest::listening);
  }

  @Test
  void extendWithGivesAPerTestSimulatorWithTheDefaults() {
    SEEN.remove("extendWith");
    run(ExtendWithFixture.class).assertStatistics(s -> s.started(1).succeeded(1));
    assertThat(seen("extendWith")).singleElement().matches(s -> !listening(s));
  }

  @Test
  void aPerTestSimulatorCannotBeInjectedIntoBeforeAll() {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(BeforeAllWithPerTestFixture.class))
        .execute()
        .containerEvents()
        .failed()
        .assertThatEvents()
        .singleElement()
        .satisfies(
            e ->
                assertThat(
                        e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                            .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable))
                    .get()
                    .isInstanceOf(ParameterResolutionException.class)
                    .extracting(Throwable::getMessage)
                    .asString()
                    .contains("perClass()"));
  }

  @Test
  void nestedClassesShareTheOuterClassSimulator() {
    SEEN.remove("nested");
    run(NestedFixture.class).assertStatistics(s -> s.started(2).succeeded(2));
    List<MaritacaSimulator> sims = seen("nested");
    assertThat(sims).hasSize(2).containsOnly(sims.get(0));
    assertThat(listening(sims.get(0))).isFalse();
  }
}
