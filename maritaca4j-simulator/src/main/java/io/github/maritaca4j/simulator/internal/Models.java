package io.github.maritaca4j.simulator.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The model catalogue of maritaca-api.md, with aliases. Immutable. */
public final class Models {

  /** One model. */
  public record Model(
      String id, List<String> aliases, long created, int contextLength, int maxOutput) {}

  public static final int MAX_OUTPUT = 32768;

  private static final List<Model> ALL =
      List.of(
          new Model("sabia-4", List.of("sabia-4-2026-01-06"), 1767657600L, 131072, MAX_OUTPUT),
          new Model(
              "sabiazinho-4",
              List.of("sabiazinho-4-2026-01-06", "sabia-4-small", "sabiazim-4"),
              1767657600L,
              131072,
              MAX_OUTPUT),
          new Model("sabia-4-thinking", List.of(), 1767657600L, 131072, MAX_OUTPUT),
          new Model("sabia-4-br-sp", List.of(), 1767657600L, 131072, MAX_OUTPUT),
          new Model("sabiazinho-4-br-sp", List.of(), 1767657600L, 131072, MAX_OUTPUT),
          new Model("sabia-4-thinking-br-sp", List.of(), 1767657600L, 131072, MAX_OUTPUT),
          new Model("sabia-3.1", List.of(), 1735689600L, 131072, MAX_OUTPUT),
          new Model("sabia-3", List.of(), 1719792000L, 131072, MAX_OUTPUT),
          new Model("sabiazinho-3", List.of(), 1719792000L, 131072, MAX_OUTPUT),
          new Model("sabiazinho-3.1", List.of(), 1735689600L, 32768, MAX_OUTPUT));

  private static final Map<String, Model> BY_NAME = new LinkedHashMap<>();

  static {
    for (Model m : ALL) {
      BY_NAME.put(m.id(), m);
      for (String a : m.aliases()) {
        BY_NAME.put(a, m);
      }
    }
  }

  private Models() {}

  /** Every canonical model, in catalogue order. */
  public static List<Model> all() {
    return ALL;
  }

  /** The model named {@code name} (id or alias, case-insensitive), or null. */
  public static Model find(String name) {
    if (name == null) {
      return null;
    }
    Model m = BY_NAME.get(name);
    return m != null ? m : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
  }
}
