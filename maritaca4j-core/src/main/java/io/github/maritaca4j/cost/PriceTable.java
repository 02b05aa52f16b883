package io.github.maritaca4j.cost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.maritaca4j.ServiceTier;
import io.github.maritaca4j.Usage;
import io.github.maritaca4j.errors.ConfigurationException;
import io.github.maritaca4j.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Model prices in BRL per million tokens, model aliases, regional variants and pricing-mode
 * multipliers: the data every cost figure in this library comes from. Immutable and thread-safe.
 *
 * <p>{@link #defaults()} is the table bundled with the library ({@code
 * io/github/maritaca4j/cost/prices.json}, summarising Maritaca's published prices). Prices change:
 * override or extend it with a file in the same format ({@link #load(Path)} then {@link
 * #withOverrides(PriceTable)}) or in code ({@link #withModel(String, ModelPrice, String...)}).
 *
 * <p>Lookups ({@link #find(String)}, {@link #require(String)}) accept canonical ids, aliases
 * ({@code sabia-4-small} is {@code sabiazinho-4}) and regional variants ({@code sabia-4-br-sp} is
 * 1.3 × {@code sabia-4} in every column), case-insensitively. An unknown model is an error naming
 * the known ones, never a silent default price.
 *
 * <p>Pricing modes ({@link PricingMode}) are mutually exclusive: {@code FLEX} and {@code BATCH}
 * bill non-cached input and output at 0.5 ×, {@code OFF_PEAK} at 0.7 ×; cached input tokens always
 * cost the cached-input price with no further discount. Money is exact {@link BigDecimal}; nothing
 * is rounded (round for display only, see {@link Money}).
 */
public final class PriceTable {

  /** The time zone of Maritaca's off-peak window. */
  public static final ZoneId OFF_PEAK_ZONE = ZoneId.of("America/Sao_Paulo");

  /** Off-peak starts at this local time (inclusive) in {@link #OFF_PEAK_ZONE}. */
  public static final LocalTime OFF_PEAK_START = LocalTime.of(22, 0);

  /** Off-peak ends at this local time (exclusive) in {@link #OFF_PEAK_ZONE}. */
  public static final LocalTime OFF_PEAK_END = LocalTime.of(6, 0);

  /** The resource holding the bundled table. */
  public static final String DEFAULT_RESOURCE = "/io/github/maritaca4j/cost/prices.json";

  /** Used for a model entry without {@code contextWindow}. */
  static final int DEFAULT_CONTEXT_WINDOW = 131_072;

  /** Used for a model entry without {@code maxOutputTokens} (capped at its context window). */
  static final int DEFAULT_MAX_OUTPUT_TOKENS = 32_768;

  private static final Map<PricingMode, BigDecimal> DEFAULT_MULTIPLIERS = defaultMultipliers();

  private static final ObjectReader READER =
      Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Canonical id → price (the price's model() is the id). Insertion ordered. */
  private final Map<String, ModelPrice> models;

  /** Alias → canonical id. */
  private final Map<String, String> aliases;

  /** Regional variants by suffix. */
  private final Map<String, Variant> variants;

  /** Multipliers set explicitly by this table's source (the rest are the documented defaults). */
  private final Map<PricingMode, BigDecimal> explicitMultipliers;

  // derived
  private final Map<PricingMode, BigDecimal> multipliers;
  private final Map<String, ModelPrice> resolved;
  private final Set<String> modelNames;

  private PriceTable(
      Map<String, ModelPrice> models,
      Map<String, String> aliases,
      Map<String, Variant> variants,
      Map<PricingMode, BigDecimal> explicitMultipliers) {
    this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    this.aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
    this.variants = Collections.unmodifiableMap(new LinkedHashMap<>(variants));
    EnumMap<PricingMode, BigDecimal> explicit = new EnumMap<>(PricingMode.class);
    explicit.putAll(explicitMultipliers);
    this.explicitMultipliers = Collections.unmodifiableMap(explicit);
    EnumMap<PricingMode, BigDecimal> all = new EnumMap<>(DEFAULT_MULTIPLIERS);
    all.putAll(explicitMultipliers);
    this.multipliers = Collections.unmodifiableMap(all);

    Map<String, ModelPrice> r = new HashMap<>();
    Set<String> names = new TreeSet<>(this.models.keySet());
    for (ModelPrice p : this.models.values()) {
      r.put(p.model(), p);
    }
    for (Map.Entry<String, String> a : this.aliases.entrySet()) {
      ModelPrice target = this.models.get(a.getValue());
      if (target == null) {
        throw new ConfigurationException(
            "alias '" + a.getKey() + "' points at unknown model '" + a.getValue() + "'");
      }
      r.putIfAbsent(a.getKey(), target);
    }
    for (Variant v : this.variants.values()) {
      for (ModelPrice base : this.models.values()) {
        if (!v.appliesTo(base.model()) || base.model().endsWith(v.suffix)) {
          continue;
        }
        String variantId = base.model() + v.suffix;
        ModelPrice explicitVariant = this.models.get(variantId);
        ModelPrice price =
            explicitVariant != null ? explicitVariant : base.scaled(variantId, v.multiplier);
        names.add(variantId);
        r.putIfAbsent(variantId, price);
        for (Map.Entry<String, String> a : this.aliases.entrySet()) {
          if (a.getValue().equals(base.model())) {
            r.putIfAbsent(a.getKey() + v.suffix, price);
          }
        }
      }
    }
    this.resolved = Map.copyOf(r);
    this.modelNames = Collections.unmodifiableSet(names);
  }

  // ---------------------------------------------------------------- construction

  /**
   * The table bundled with the library, loaded once.
   *
   * @return the shared default table
   */
  public static PriceTable defaults() {
    return Defaults.TABLE;
  }

  /** A table with no models (a base for one built entirely in code). */
  public static PriceTable empty() {
    return new PriceTable(Map.of(), Map.of(), Map.of(), Map.of());
  }

  /**
   * Reads a table from a JSON file in the bundled format (see {@code docs/cost.md}). The result
   * holds only what the file says; combine it with {@code defaults().withOverrides(...)} to
   * override some models and keep the rest.
   *
   * @throws ConfigurationException when the file cannot be read or is not a valid price table; the
   *     message names the file and the problem
   */
  public static PriceTable load(Path json) {
    Objects.requireNonNull(json, "json");
    try (InputStream in = Files.newInputStream(json)) {
      return parse(in, json.toString());
    } catch (IOException e) {
      throw new ConfigurationException("cannot read price table " + json + ": " + e);
    }
  }

  /**
   * Reads a table from JSON text in the bundled format.
   *
   * @throws ConfigurationException when the text is not a valid price table
   */
  public static PriceTable fromJson(String json) {
    Objects.requireNonNull(json, "json");
    try {
      return fromTree(READER.readTree(json), "price table JSON");
    } catch (IOException e) {
      throw new ConfigurationException("price table JSON is not valid JSON: " + e.getMessage());
    }
  }

  /**
   * A table where {@code other}'s models, aliases, variants and explicitly set mode multipliers
   * replace this table's, and everything else of this table is kept. Regional variants follow their
   * base: overriding {@code sabia-4} also changes {@code sabia-4-br-sp}.
   */
  public PriceTable withOverrides(PriceTable other) {
    Objects.requireNonNull(other, "other");
    Map<String, ModelPrice> m = new LinkedHashMap<>(models);
    Map<String, String> a = new LinkedHashMap<>(aliases);
    for (ModelPrice p : other.models.values()) {
      a.remove(p.model()); // a model defined in other is no longer an alias here
      m.put(p.model(), p);
    }
    for (Map.Entry<String, String> e : other.aliases.entrySet()) {
      m.remove(e.getKey()); // other says this name is an alias, not a model of its own
      a.put(e.getKey(), e.getValue());
    }
    Map<String, Variant> v = new LinkedHashMap<>(variants);
    v.putAll(other.variants);
    Map<PricingMode, BigDecimal> mult = new EnumMap<>(PricingMode.class);
    mult.putAll(explicitMultipliers);
    mult.putAll(other.explicitMultipliers);
    return new PriceTable(m, a, v, mult);
  }

  /**
   * A table with {@code model} priced as {@code price} (whose own {@code model()} is ignored),
   * replacing any model or alias of that name, and with {@code aliases} pointing at it.
   */
  public PriceTable withModel(String model, ModelPrice price, String... aliases) {
    Objects.requireNonNull(price, "price");
    String id = key(model);
    Map<String, ModelPrice> m = new LinkedHashMap<>();
    m.put(id, price.withModel(id));
    Map<String, String> a = new LinkedHashMap<>();
    for (String alias : aliases) {
      String k = key(alias);
      if (k.equals(id)) {
        throw new IllegalArgumentException("model '" + id + "' cannot be its own alias");
      }
      a.put(k, id);
    }
    return withOverrides(new PriceTable(m, a, Map.of(), Map.of()));
  }

  /**
   * A table with the given multiplier for {@code mode} (for example when Maritaca changes the
   * off-peak discount).
   */
  public PriceTable withMultiplier(PricingMode mode, BigDecimal multiplier) {
    Objects.requireNonNull(mode, "mode");
    requireMultiplier(mode.name(), multiplier);
    Map<PricingMode, BigDecimal> mult = new EnumMap<>(PricingMode.class);
    mult.putAll(explicitMultipliers);
    mult.put(mode, multiplier);
    return new PriceTable(models, aliases, variants, mult);
  }

  // ---------------------------------------------------------------- lookups

  /**
   * The price of a model given by canonical id, alias or regional variant (case-insensitive). The
   * returned price's {@code model()} is the canonical id.
   */
  public Optional<ModelPrice> find(String modelOrAlias) {
    if (modelOrAlias == null) {
      return Optional.empty();
    }
    ModelPrice p = resolved.get(modelOrAlias);
    if (p == null) {
      p = resolved.get(modelOrAlias.strip().toLowerCase(Locale.ROOT));
    }
    return Optional.ofNullable(p);
  }

  /**
   * Like {@link #find(String)}, for a model that must be known.
   *
   * @throws ConfigurationException naming the model and every known model when it is unknown
   */
  public ModelPrice require(String modelOrAlias) {
    Optional<ModelPrice> p = find(modelOrAlias);
    if (p.isEmpty()) {
      throw new ConfigurationException(
          "unknown model '"
              + modelOrAlias
              + "': no price for it. Known models: "
              + String.join(", ", modelNames)
              + (aliases.isEmpty() ? "" : " (aliases: " + String.join(", ", aliases.keySet()) + ")")
              + ". Add it with PriceTable.withModel(...) or a price table file.");
    }
    return p.get();
  }

  /** Whether the model (canonical id, alias or variant) has a price. */
  public boolean contains(String modelOrAlias) {
    return find(modelOrAlias).isPresent();
  }

  /** Canonical model ids and regional variant ids, sorted; aliases are not included. */
  public Set<String> models() {
    return modelNames;
  }

  /** Aliases and the canonical id each points at. */
  public Map<String, String> aliases() {
    return aliases;
  }

  /** The multiplier applied to non-cached input and output prices in {@code mode}. */
  public BigDecimal multiplier(PricingMode mode) {
    return multipliers.get(Objects.requireNonNull(mode, "mode"));
  }

  // ---------------------------------------------------------------- money

  /**
   * The actual cost of a response from its usage: non-cached prompt tokens at the input price,
   * cached prompt tokens at the cached-input price, completion tokens at the output price; the
   * mode's multiplier applies to input and output but never to cached input. Exact.
   *
   * @throws ConfigurationException when the model is unknown
   */
  public Cost cost(String model, Usage usage, PricingMode mode) {
    return cost(require(model), usage, mode);
  }

  /** Like {@link #cost(String, Usage, PricingMode)}, for a price already looked up. */
  public Cost cost(ModelPrice price, Usage usage, PricingMode mode) {
    Objects.requireNonNull(usage, "usage");
    long cached = Math.min(usage.cachedPromptTokens(), usage.promptTokens());
    return cost(price, usage.promptTokens() - cached, cached, usage.completionTokens(), mode);
  }

  /** The exact cost of the given token counts. */
  public Cost cost(
      ModelPrice price,
      long uncachedInputTokens,
      long cachedInputTokens,
      long outputTokens,
      PricingMode mode) {
    Objects.requireNonNull(price, "price");
    BigDecimal m = multiplier(mode);
    return new Cost(
        perMillion(uncachedInputTokens, price.inputPerMillion().multiply(m)),
        perMillion(cachedInputTokens, price.cachedInputPerMillion()),
        perMillion(outputTokens, price.outputPerMillion().multiply(m)),
        mode);
  }

  /** {@code tokens × pricePerMillion / 1,000,000}, exact, in canonical form. */
  static BigDecimal perMillion(long tokens, BigDecimal pricePerMillion) {
    if (tokens < 0) {
      throw new IllegalArgumentException("token count must not be negative, was " + tokens);
    }
    if (tokens == 0 || pricePerMillion.signum() == 0) {
      return BigDecimal.ZERO;
    }
    return Money.canonical(BigDecimal.valueOf(tokens).multiply(pricePerMillion).movePointLeft(6));
  }

  // ---------------------------------------------------------------- modes

  /**
   * The pricing mode in force at {@code when} for a real-time request (the client prices each
   * answer at the instant it arrives; which instant Maritaca bills by is not documented): {@link
   * PricingMode#FLEX} for the flex tier; otherwise {@link PricingMode#OFF_PEAK} from 22:00
   * (inclusive) to 06:00 (exclusive) in America/Sao_Paulo, else {@link PricingMode#STANDARD}. (The
   * Batch API's {@link PricingMode#BATCH} is never inferred: its caller knows.)
   */
  public static PricingMode modeFor(ServiceTier tier, Instant when) {
    Objects.requireNonNull(when, "when");
    if (tier == ServiceTier.FLEX) {
      return PricingMode.FLEX;
    }
    LocalTime t = when.atZone(OFF_PEAK_ZONE).toLocalTime();
    boolean offPeak = !t.isBefore(OFF_PEAK_START) || t.isBefore(OFF_PEAK_END);
    return offPeak ? PricingMode.OFF_PEAK : PricingMode.STANDARD;
  }

  @Override
  public String toString() {
    return "PriceTable" + modelNames;
  }

  // ---------------------------------------------------------------- parsing

  private static PriceTable parse(InputStream in, String source) {
    JsonNode root;
    try {
      root = READER.readTree(in);
    } catch (IOException e) {
      throw new ConfigurationException(source + " is not valid JSON: " + e.getMessage());
    }
    return fromTree(root, source);
  }

  private static PriceTable fromTree(JsonNode root, String source) {
    if (root == null || !root.isObject()) {
      throw new ConfigurationException(source + ": expected a JSON object at the top");
    }
    checkKeys(root, source, "currency", "unit", "source", "models", "variants", "modes");
    JsonNode currency = root.get("currency");
    if (currency != null && !"BRL".equals(currency.asText())) {
      throw new ConfigurationException(
          source + ": prices must be in BRL, the file says " + currency.asText());
    }
    Map<String, ModelPrice> models = new LinkedHashMap<>();
    Map<String, String> aliases = new LinkedHashMap<>();
    JsonNode list = root.get("models");
    if (list != null) {
      if (!list.isArray()) {
        throw new ConfigurationException(source + ": 'models' must be an array");
      }
      int i = 0;
      for (JsonNode m : list) {
        String where = source + ": models[" + i++ + "]";
        if (!m.isObject()) {
          throw new ConfigurationException(where + " must be an object");
        }
        checkKeys(
            m,
            where,
            "id",
            "aliases",
            "input",
            "output",
            "cachedInput",
            "contextWindow",
            "maxOutputTokens",
            "legacy",
            "description");
        String id = key(text(m, "id", where));
        where = source + ": model '" + id + "'";
        BigDecimal input = decimal(m, "input", where, true);
        BigDecimal output = decimal(m, "output", where, true);
        BigDecimal cached = decimal(m, "cachedInput", where, false);
        int context = integer(m, "contextWindow", where, DEFAULT_CONTEXT_WINDOW);
        int maxOut =
            integer(m, "maxOutputTokens", where, Math.min(DEFAULT_MAX_OUTPUT_TOKENS, context));
        ModelPrice price;
        try {
          price =
              cached == null
                  ? ModelPrice.of(id, input, output, context, maxOut)
                  : new ModelPrice(id, input, output, cached, context, maxOut);
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException(source + ": " + e.getMessage());
        }
        if (models.put(id, price) != null || aliases.containsKey(id)) {
          throw new ConfigurationException(source + ": model '" + id + "' is defined twice");
        }
        JsonNode al = m.get("aliases");
        if (al != null) {
          if (!al.isArray()) {
            throw new ConfigurationException(where + ": 'aliases' must be an array of strings");
          }
          for (JsonNode a : al) {
            String alias = key(a.asText());
            if (alias.isEmpty() || models.containsKey(alias) || aliases.put(alias, id) != null) {
              throw new ConfigurationException(
                  where + ": alias '" + alias + "' is empty or already names another model");
            }
          }
        }
      }
    }
    for (String id : models.keySet()) {
      if (aliases.containsKey(id)) {
        throw new ConfigurationException(
            source + ": '" + id + "' is both a model and an alias of '" + aliases.get(id) + "'");
      }
    }
    Map<String, Variant> variants = new LinkedHashMap<>();
    JsonNode vs = root.get("variants");
    if (vs != null) {
      if (!vs.isArray()) {
        throw new ConfigurationException(source + ": 'variants' must be an array");
      }
      int i = 0;
      for (JsonNode v : vs) {
        String where = source + ": variants[" + i++ + "]";
        checkKeys(v, where, "suffix", "multiplier", "models", "description");
        String suffix = key(text(v, "suffix", where));
        BigDecimal mult = decimal(v, "multiplier", where, true);
        Set<String> applies = new LinkedHashSet<>();
        JsonNode ms = v.get("models");
        if (ms != null) {
          for (JsonNode m : ms) {
            applies.add(key(m.asText()));
          }
        }
        variants.put(suffix, new Variant(suffix, mult, Set.copyOf(applies)));
      }
    }
    Map<PricingMode, BigDecimal> mult = new EnumMap<>(PricingMode.class);
    JsonNode modes = root.get("modes");
    if (modes != null) {
      if (!modes.isObject()) {
        throw new ConfigurationException(source + ": 'modes' must be an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = modes.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        PricingMode mode;
        try {
          mode = PricingMode.valueOf(e.getKey().trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException ex) {
          throw new ConfigurationException(
              source
                  + ": unknown pricing mode '"
                  + e.getKey()
                  + "' (known: "
                  + List.of(PricingMode.values())
                  + ")");
        }
        mult.put(mode, decimal(modes, e.getKey(), source + ": modes", true));
      }
    }
    try {
      return new PriceTable(models, aliases, variants, mult);
    } catch (ConfigurationException e) {
      throw new ConfigurationException(source + ": " + e.getMessage());
    }
  }

  private static void checkKeys(JsonNode node, String where, String... allowed) {
    List<String> unknown = new ArrayList<>();
    Set<String> ok = Set.of(allowed);
    node.fieldNames()
        .forEachRemaining(
            f -> {
              if (!ok.contains(f)) {
                unknown.add(f);
              }
            });
    if (!unknown.isEmpty()) {
      throw new ConfigurationException(
          where + ": unknown field(s) " + unknown + " (allowed: " + List.of(allowed) + ")");
    }
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ConfigurationException(where + ": '" + field + "' must be a non-empty string");
    }
    return v.asText();
  }

  private static BigDecimal decimal(JsonNode node, String field, String where, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new ConfigurationException(where + ": '" + field + "' is required");
      }
      return null;
    }
    BigDecimal d;
    if (v.isNumber()) {
      d = v.decimalValue();
    } else if (v.isTextual()) {
      try {
        d = new BigDecimal(v.asText().trim());
      } catch (NumberFormatException e) {
        throw new ConfigurationException(
            where + ": '" + field + "' must be a decimal number, was '" + v.asText() + "'");
      }
    } else {
      throw new ConfigurationException(where + ": '" + field + "' must be a decimal number");
    }
    if (d.signum() < 0) {
      throw new ConfigurationException(where + ": '" + field + "' must not be negative, was " + d);
    }
    return d;
  }

  private static int integer(JsonNode node, String field, String where, int dflt) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() <= 0) {
      throw new ConfigurationException(
          where + ": '" + field + "' must be a positive integer, was " + v);
    }
    return v.intValue();
  }

  private static void requireMultiplier(String name, BigDecimal m) {
    Objects.requireNonNull(m, "multiplier");
    if (m.signum() < 0) {
      throw new IllegalArgumentException(name + " multiplier must not be negative, was " + m);
    }
  }

  private static String key(String model) {
    Objects.requireNonNull(model, "model");
    String k = model.strip().toLowerCase(Locale.ROOT);
    if (k.isEmpty()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    return k;
  }

  private static Map<PricingMode, BigDecimal> defaultMultipliers() {
    EnumMap<PricingMode, BigDecimal> m = new EnumMap<>(PricingMode.class);
    m.put(PricingMode.STANDARD, BigDecimal.ONE);
    m.put(PricingMode.FLEX, new BigDecimal("0.5"));
    m.put(PricingMode.BATCH, new BigDecimal("0.5"));
    m.put(PricingMode.OFF_PEAK, new BigDecimal("0.7"));
    return Collections.unmodifiableMap(m);
  }

  /** A regional variant: {@code base + suffix} costs {@code multiplier ×} the base. */
  private record Variant(String suffix, BigDecimal multiplier, Set<String> models) {
    boolean appliesTo(String base) {
      return models.isEmpty() || models.contains(base);
    }
  }

  private static final class Defaults {
    static final PriceTable TABLE = loadDefaults();

    private static PriceTable loadDefaults() {
      try (InputStream in = PriceTable.class.getResourceAsStream(DEFAULT_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              "bundled price table " + DEFAULT_RESOURCE + " is missing");
        }
        return parse(in, DEFAULT_RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
