package io.github.maritaca4j.internal;

import io.github.maritaca4j.ChatMaritaca;
import java.util.Objects;
import java.util.function.Function;

/**
 * How core's own packages reach a client's {@link ClientContext}, which {@link ChatMaritaca} does
 * not expose: {@code ChatMaritaca} installs the accessor when its class is initialised (which has
 * happened once an instance exists). Internal API.
 */
public final class ClientContexts {
  private static volatile Function<ChatMaritaca, ClientContext> accessor;

  private ClientContexts() {}

  /** Called once, by {@code ChatMaritaca}'s static initialiser. */
  public static void install(Function<ChatMaritaca, ClientContext> f) {
    if (accessor != null) {
      throw new IllegalStateException("already installed");
    }
    accessor = Objects.requireNonNull(f, "accessor");
  }

  /** The context of {@code client}. */
  public static ClientContext of(ChatMaritaca client) {
    Objects.requireNonNull(client, "client");
    return accessor.apply(client);
  }
}
