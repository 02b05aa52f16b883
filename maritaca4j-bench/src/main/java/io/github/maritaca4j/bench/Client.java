package io.github.maritaca4j.bench;

import java.util.Locale;

/** The clients compared. */
enum Client {
  /** maritaca4j's batch engine: {@code ChatMaritaca.batchAsync(inputs, BatchOptions)}. */
  MARITACA4J("maritaca4j"),
  /** LangChain4j 1.19.0 {@code OpenAiChatModel} called from a fixed pool of C threads. */
  LANGCHAIN4J("langchain4j"),
  /** openai-java 4.0.0 async client ({@code OpenAIOkHttpClientAsync}) with a Semaphore of C. */
  OPENAI_JAVA("openai-java");

  private final String label;

  Client(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** Parses a label ({@code maritaca4j}, {@code langchain4j}, {@code openai-java}). */
  static Client parse(String s) {
    for (Client c : values()) {
      if (c.label.equals(s.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown client: " + s);
  }

  /** A runner of this client against {@code baseUrl}. */
  ClientRunner open(String baseUrl, int concurrency, ClientRunner.Limits limits) {
    return switch (this) {
      case MARITACA4J -> new MaritacaRunner(baseUrl, concurrency, limits);
      case LANGCHAIN4J -> new LangChain4jRunner(baseUrl, concurrency);
      case OPENAI_JAVA -> new OpenAiJavaRunner(baseUrl, concurrency);
    };
  }
}
