package io.github.maritaca4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The clients compared. */
enum Client {
  /** maritaca4j's batch engine: {@code ChatMaritaca.batchAsync(inputs, BatchOptions)}. */
  MARITACA4J("maritaca4j", true),
  /** LangChain4j 1.19.0 {@code OpenAiChatModel} called from a fixed pool of C threads. */
  LANGCHAIN4J("langchain4j", false),
  /** openai-java 4.49.0 async client ({@code OpenAIOkHttpClientAsync}) with a Semaphore of C. */
  OPENAI_JAVA("openai-java", false),
  /** maritaca4j's single calls: {@code ChatMaritaca.invoke} from a fixed pool of C threads. */
  MARITACA4J_INVOKE("maritaca4j-invoke", true),
  /** Spring AI 2.0.1's {@code OpenAiChatModel.call} from a fixed pool of C threads. */
  SPRING_AI_OPENAI("spring-ai-openai", false),
  /** maritaca4j's Spring AI {@code MaritacaChatModel.call} from a fixed pool of C threads. */
  MARITACA4J_SPRINGAI("maritaca4j-springai", true),
  /** The Spring AI batch path: {@code MaritacaChatModel.batch(prompts, BatchOptions)}. */
  MARITACA4J_SPRINGAI_BATCH("maritaca4j-springai-batch", true);

  /**
   * The clients run when {@code --clients} is not given: the engine and the two peers of issue #8.
   * The others (single calls and Spring AI) are named with {@code --clients}, or {@code all}.
   */
  static final List<Client> DEFAULTS = List.of(MARITACA4J, LANGCHAIN4J, OPENAI_JAVA);

  private final String label;
  private final boolean ours;

  Client(String label, boolean ours) {
    this.label = label;
    this.ours = ours;
  }

  String label() {
    return label;
  }

  /** Whether this is one of maritaca4j's paths (not a peer). */
  boolean ours() {
    return ours;
  }

  /** Parses a label ({@code maritaca4j}, {@code spring-ai-openai}, ...). */
  static Client parse(String s) {
    for (Client c : values()) {
      if (c.label.equals(s.strip().toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown client: " + s + " (known: " + String.join(",", labels()) + ", all)");
  }

  /**
   * Parses {@code --clients}: labels separated by commas, or {@code all} for every client; no
   * client twice.
   */
  static List<Client> parseList(String v) {
    if (v.strip().equalsIgnoreCase("all")) {
      return List.of(values());
    }
    List<Client> out = new ArrayList<>();
    for (String s : v.split(",")) {
      if (s.isBlank()) {
        continue;
      }
      Client c = parse(s);
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--clients names no client");
    }
    return List.copyOf(out);
  }

  /** Every label, in declaration order. */
  static List<String> labels() {
    return java.util.Arrays.stream(values()).map(Client::label).toList();
  }

  /** A runner of this client against {@code baseUrl}. */
  ClientRunner open(String baseUrl, int concurrency, ClientRunner.Limits limits) {
    return switch (this) {
      case MARITACA4J -> new MaritacaRunner(baseUrl, concurrency, limits);
      case LANGCHAIN4J -> new LangChain4jRunner(baseUrl, concurrency);
      case OPENAI_JAVA -> new OpenAiJavaRunner(baseUrl, concurrency);
      case MARITACA4J_INVOKE -> new MaritacaInvokeRunner(baseUrl, concurrency, limits);
      case SPRING_AI_OPENAI -> new SpringAiOpenAiRunner(baseUrl, concurrency);
      case MARITACA4J_SPRINGAI -> new SpringAiMaritacaRunner(baseUrl, concurrency, limits);
      case MARITACA4J_SPRINGAI_BATCH -> new SpringAiBatchRunner(baseUrl, concurrency, limits);
    };
  }
}
