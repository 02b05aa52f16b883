package io.github.maritaca4j.internal.batch;

import io.github.maritaca4j.batch.RateLimits;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client's way into its {@link Account}: the lane of a model, configured once with the limits the
 * client was given ({@code rateLimits} for a model, for its default model, or a published tier).
 * Thread-safe. Internal API.
 */
public final class Admission {
  private final Account account;
  private final String defaultModel;
  private final RateLimits defaultLimits;
  private final Map<String, RateLimits> perModel;
  private final int tier;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  /**
   * @param defaultLimits limits of {@code defaultModel} (UNKNOWN for none)
   * @param perModel limits by model id (any case)
   * @param tier Maritaca's published tier for every model it lists, or -1
   */
  public Admission(
      Account account,
      String defaultModel,
      RateLimits defaultLimits,
      Map<String, RateLimits> perModel,
      int tier) {
    this.account = Objects.requireNonNull(account, "account");
    this.defaultModel = key(defaultModel);
    this.defaultLimits = Objects.requireNonNull(defaultLimits, "defaultLimits");
    this.perModel = new ConcurrentHashMap<>();
    perModel.forEach((m, l) -> this.perModel.put(key(m), l));
    this.tier = tier;
  }

  /** No configured limits: the account's lanes learn from headers and 429s only. */
  public static Admission of(Account account) {
    return new Admission(account, "", RateLimits.UNKNOWN, Map.of(), -1);
  }

  public Account account() {
    return account;
  }

  /** The lane of {@code model}, with this client's limits for it applied. */
  public Lane lane(String model) {
    String k = key(model);
    Lane l = lanes.get(k);
    if (l == null) {
      l = account.lane(k);
      l.configure(limitsFor(k));
      lanes.putIfAbsent(k, l);
    }
    return l;
  }

  /** The limits this client was given for {@code model}; UNKNOWN when none. */
  public RateLimits limitsFor(String model) {
    String k = key(model);
    RateLimits l = perModel.get(k);
    if (l != null) {
      return l;
    }
    if (k.equals(defaultModel) && !defaultLimits.isUnknown()) {
      return defaultLimits;
    }
    if (tier >= 0) {
      try {
        return RateLimits.tier(tier, k);
      } catch (IllegalArgumentException e) {
        return RateLimits.UNKNOWN; // a model without published limits
      }
    }
    return RateLimits.UNKNOWN;
  }

  private static String key(String model) {
    return model == null ? "" : model.strip().toLowerCase(Locale.ROOT);
  }
}
