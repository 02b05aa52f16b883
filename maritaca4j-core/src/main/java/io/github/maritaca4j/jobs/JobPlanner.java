package io.github.maritaca4j.jobs;

import io.github.maritaca4j.batch.RateLimits;
import io.github.maritaca4j.cost.Cost;
import io.github.maritaca4j.cost.ModelPrice;
import io.github.maritaca4j.cost.Money;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.PricingMode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Compares the ways to run a JSONL job ({@link RunWay}: real time now, real time in the off-peak
 * window, flex, the Batch API): for each, what it costs (estimate and worst case), when it finishes
 * at the account's limits, and whether it meets a deadline and a budget; then recommends one, with
 * the reason. Sends nothing. Immutable and thread-safe.
 *
 * <pre>{@code
 * JobProfile profile = JobProfile.scan(client, Path.of("in.jsonl"), 500);
 * JobPlannerResult plan = JobPlanner.builder(client.priceTable())
 *     .limits(model -> RateLimits.tier(1, model))
 *     .batchQuota(BatchApiQuota.forTier(1))
 *     .deadline(Instant.now().plus(Duration.ofHours(8)))
 *     .budget(new BigDecimal("50"))
 *     .build()
 *     .plan(profile);
 * plan.recommended(); plan.reason();
 * }</pre>
 *
 * <p><b>Cost.</b> Every figure comes from the {@link PriceTable} (its mode multipliers included).
 * The estimate prices the counted input tokens and the assumed output tokens ({@code max_tokens},
 * else a default); the real-time ways price the {@linkplain JobProfile.ModelWork#likelyCachedTokens
 * likely prompt-cache hits} at the cached-input price (no mode discount on them, as Maritaca
 * bills); the Batch API assumes no cache hit. The worst case is input + 10 %, nothing cached, every
 * request's {@code max_tokens} (else the model's maximum output). Real time now is priced by the
 * share of the sending time that falls in off-peak hours.
 *
 * <p><b>Time.</b> For each model, sending {@code n} requests of {@code I} input and {@code O}
 * output tokens takes {@code max(n / RPM, I / TPM-in, O / TPM-out)} minutes (a limit of 0 is not
 * known and not counted), less the server's burst when {@link RateLimits#burst()} is known; models
 * have their own limits and run side by side, so the slowest model decides. It assumes enough
 * concurrency unless told the in-flight cap and the answer time ({@link Builder#concurrency}), and
 * ignores the answer time of the last requests. Off-peak sends only from 22:00 to 06:00 (Brasília),
 * night after night. Flex takes the same time when Maritaca has spare capacity (requests may queue
 * up to 5 minutes, then 429). The Batch API finishes within its completion window, once per day of
 * the daily character quota the input needs.
 *
 * <p><b>Recommendation.</b> The cheapest estimate among the ways that meet the deadline (known to)
 * and the budget, the earlier finish breaking ties; when none meets both, the cheapest that meets
 * the deadline, else the earliest to finish within the budget, else the earliest to finish.
 */
public final class JobPlanner {
  private final PriceTable prices;
  private final Function<String, RateLimits> limits;
  private final BatchApiQuota quota;
  private final Instant deadline;
  private final BigDecimal budget;
  private final Clock clock;
  private final int maxInFlight;
  private final Duration answerTime;

  private JobPlanner(Builder b) {
    this.maxInFlight = b.maxInFlight;
    this.answerTime = b.answerTime;
    this.prices = b.prices;
    this.limits = b.limits;
    this.quota = b.quota;
    this.deadline = b.deadline;
    this.budget = b.budget;
    this.clock = b.clock;
  }

  /** A planner pricing with {@code prices}. */
  public static Builder builder(PriceTable prices) {
    return new Builder(prices);
  }

  /**
   * Plans {@code profile} at the clock's current instant.
   *
   * @throws IllegalArgumentException when the profile's input has problems, or the deadline has
   *     passed
   * @throws io.github.maritaca4j.errors.ConfigurationException when a model has no price
   */
  public JobPlannerResult plan(JobProfile profile) {
    Objects.requireNonNull(profile, "profile");
    if (!profile.isValid()) {
      throw new IllegalArgumentException(profile.input().describe());
    }
    Instant now = clock.instant();
    if (deadline != null && !deadline.isAfter(now)) {
      throw new IllegalArgumentException(
          "the deadline " + deadline + " is not in the future (now " + now + ")");
    }
    Speed speed = speed(profile);
    List<WayEstimate> ways = new ArrayList<>();
    ways.add(realtimeNow(profile, speed, now));
    ways.add(offPeak(profile, speed, now));
    ways.add(flex(profile, speed, now));
    ways.add(batchApi(profile, now));
    Choice c = choose(ways, speed);
    return new JobPlannerResult(now, deadline, budget, profile, ways, c.way, c.reason);
  }

  // ------------------------------------------------------------------ costs

  /** {estimate, worst case, cache savings} of the whole profile in {@code mode}. */
  private BigDecimal[] costs(JobProfile profile, PricingMode mode, boolean cache) {
    BigDecimal est = BigDecimal.ZERO;
    BigDecimal worst = BigDecimal.ZERO;
    BigDecimal full = BigDecimal.ZERO;
    for (JobProfile.ModelWork m : profile.models()) {
      ModelPrice p = prices.require(m.model());
      long cached = cache ? m.likelyCachedTokens() : 0;
      Cost e = prices.cost(p, m.inputTokens() - cached, cached, m.outputTokens(), mode);
      Cost f = prices.cost(p, m.inputTokens(), 0, m.outputTokens(), mode);
      Cost w = prices.cost(p, JobProfile.worstInput(m.inputTokens()), 0, m.maxOutputTokens(), mode);
      est = est.add(e.total());
      full = full.add(f.total());
      worst = worst.add(w.total());
    }
    return new BigDecimal[] {canonical(est), canonical(worst), canonical(full.subtract(est))};
  }

  private WayEstimate realtimeNow(JobProfile profile, Speed speed, Instant now) {
    BigDecimal[] std = costs(profile, PricingMode.STANDARD, true);
    BigDecimal[] off = costs(profile, PricingMode.OFF_PEAK, true);
    double share =
        speed.time == null
            ? (OffPeakWindow.atOrAfter(now).contains(now) ? 1 : 0)
            : OffPeakWindow.offPeakShare(now, speed.time);
    BigDecimal[] c = new BigDecimal[3];
    for (int i = 0; i < 3; i++) {
      c[i] = blend(std[i], off[i], share);
    }
    List<String> notes = new ArrayList<>();
    if (share >= 1) {
      notes.add("now is off-peak: the whole run is at off-peak prices");
    } else if (share > 0) {
      notes.add(
          String.format(
              Locale.ROOT,
              "%.0f %% of the sending time falls in off-peak hours (priced so)",
              share * 100));
    }
    Instant finish = speed.time == null ? null : now.plus(speed.time);
    return way(RunWay.REALTIME_NOW, c, speed, now, finish, notes);
  }

  private WayEstimate offPeak(JobProfile profile, Speed speed, Instant now) {
    BigDecimal[] c = costs(profile, PricingMode.OFF_PEAK, true);
    OffPeakWindow w = OffPeakWindow.atOrAfter(now);
    Instant start = w.contains(now) ? now : w.start();
    Instant finish = speed.time == null ? null : OffPeakWindow.finishWithinWindows(now, speed.time);
    List<String> notes = new ArrayList<>();
    if (speed.time != null && speed.time.compareTo(Duration.between(start, w.end())) > 0) {
      notes.add("needs more than one night: pauses at 06:00 and goes on at 22:00");
    }
    return way(RunWay.REALTIME_OFF_PEAK, c, speed, start, finish, notes);
  }

  private WayEstimate flex(JobProfile profile, Speed speed, Instant now) {
    BigDecimal[] c = costs(profile, PricingMode.FLEX, true);
    Instant finish = speed.time == null ? null : now.plus(speed.time);
    return way(
        RunWay.FLEX,
        c,
        speed,
        now,
        finish,
        List.of(
            "subject to Maritaca's spare capacity: a request may queue up to 5 min, then get a"
                + " 429 (retried), so the time is a best case"));
  }

  private WayEstimate batchApi(JobProfile profile, Instant now) {
    BigDecimal[] c = costs(profile, PricingMode.BATCH, false);
    long files = 0;
    for (JobProfile.ModelWork m : profile.models()) {
      files +=
          Math.max(
              ceilDiv(m.requests(), quota.maxRequestsPerFile()),
              ceilDiv(m.bytes(), quota.maxBytesPerFile()));
    }
    long chars = profile.inputCharacters();
    long days = Math.max(1, ceilDiv(chars, quota.charactersPerDay()));
    Duration time = quota.completionWindow().multipliedBy(days);
    Instant finish = now.plus(time);
    List<String> notes = new ArrayList<>();
    notes.add(
        files
            + (files == 1 ? " input file" : " input files")
            + " (one model each, at most "
            + String.format(Locale.ROOT, "%,d", quota.maxRequestsPerFile())
            + " requests and "
            + quota.maxBytesPerFile() / (1024 * 1024)
            + " MB)");
    notes.add(
        "results within "
            + hours(quota.completionWindow())
            + " of submission, often sooner (no promise); no prompt-cache discount assumed");
    if (days > 1) {
      notes.add(
          String.format(Locale.ROOT, "%,d", chars)
              + " input characters exceed the daily quota of "
              + String.format(Locale.ROOT, "%,d", quota.charactersPerDay())
              + ": submitted over "
              + days
              + " days");
    }
    return new WayEstimate(
        RunWay.BATCH_API,
        c[0],
        c[1],
        c[2],
        time,
        now,
        finish,
        days > 1 ? "the daily character quota" : "the completion window",
        deadline == null ? null : !finish.isAfter(deadline),
        budget == null ? null : c[0].compareTo(budget) <= 0,
        notes);
  }

  private WayEstimate way(
      RunWay way, BigDecimal[] c, Speed speed, Instant start, Instant finish, List<String> notes) {
    return new WayEstimate(
        way,
        c[0],
        c[1],
        c[2],
        speed.time,
        start,
        finish,
        speed.limitedBy,
        deadline == null || finish == null ? null : !finish.isAfter(deadline),
        budget == null ? null : c[0].compareTo(budget) <= 0,
        notes);
  }

  // ------------------------------------------------------------------ time

  private record Speed(Duration time, String limitedBy) {}

  /** The real-time sending time: per model, the slowest limit; over models, the slowest model. */
  private Speed speed(JobProfile profile) {
    long worstMs = -1;
    String by = null;
    for (JobProfile.ModelWork m : profile.models()) {
      RateLimits l = limits.apply(m.model());
      if (l == null || l.isUnknown()) {
        return new Speed(
            null, "no rate limits known for " + m.model() + " (give the tier or the limits)");
      }
      long[] ms = {
        millis(m.requests(), l.rpm(), l.burst()),
        millis(m.inputTokens(), l.tpmIn(), l.burst()),
        millis(m.outputTokens(), l.tpmOut(), l.burst())
      };
      String[] names = {"RPM", "TPM in", "TPM out"};
      for (int i = 0; i < 3; i++) {
        if (ms[i] > worstMs) {
          worstMs = ms[i];
          by = names[i] + " of " + m.model();
        }
      }
    }
    if (worstMs < 0) {
      return new Speed(Duration.ZERO, "nothing to send");
    }
    if (answerTime != null) {
      // every model's requests share the in-flight cap: each slot does one answer at a time
      long ms =
          BigDecimal.valueOf(profile.requests())
              .multiply(BigDecimal.valueOf(answerTime.toMillis()))
              .divide(BigDecimal.valueOf(maxInFlight), 0, RoundingMode.CEILING)
              .longValueExact();
      if (ms > worstMs) {
        worstMs = ms;
        by =
            "concurrency: "
                + maxInFlight
                + " in flight, answers of "
                + answerTime.toMillis()
                + " ms";
      }
    }
    return new Speed(Duration.ofMillis(worstMs), by);
  }

  /**
   * Milliseconds to take {@code amount} from a bucket refilled at {@code perMinute} (0: unknown, so
   * 0 ms), which starts full with {@code perMinute × burst / 60 s} when the burst is known.
   */
  static long millis(long amount, long perMinute, Duration burst) {
    if (perMinute <= 0 || amount <= 0) {
      return 0;
    }
    long head = burst == null ? 0 : perMinute * burst.toMillis() / 60_000;
    long rest = Math.max(0, amount - head);
    return BigDecimal.valueOf(rest)
        .multiply(BigDecimal.valueOf(60_000))
        .divide(BigDecimal.valueOf(perMinute), 0, RoundingMode.CEILING)
        .longValueExact();
  }

  // ------------------------------------------------------------------ the choice

  private record Choice(RunWay way, String reason) {}

  private Choice choose(List<WayEstimate> ways, Speed speed) {
    Comparator<WayEstimate> byFinish =
        Comparator.comparing(
            WayEstimate::finish, Comparator.nullsLast(Comparator.<Instant>naturalOrder()));
    Comparator<WayEstimate> cheapest =
        Comparator.comparing(WayEstimate::cost).thenComparing(byFinish);
    List<WayEstimate> fitting =
        ways.stream()
            .filter(w -> deadline == null || Boolean.TRUE.equals(w.meetsDeadline()))
            .filter(w -> !Boolean.FALSE.equals(w.withinBudget()))
            .toList();
    if (!fitting.isEmpty()) {
      WayEstimate w = fitting.stream().min(cheapest).orElseThrow();
      StringBuilder r = new StringBuilder();
      r.append(fitting.size() == 1 ? "the only way that " : "the cheapest way that ");
      r.append(
          deadline != null && budget != null
              ? "finishes by the deadline within the budget"
              : deadline != null
                  ? "finishes by the deadline"
                  : budget != null ? "fits the budget" : "runs this job");
      r.append(" (").append(Money.format(w.cost()));
      if (w.finish() != null) {
        r.append(", done by ").append(local(w.finish()));
      }
      r.append(')');
      long ties = fitting.stream().filter(o -> o.cost().compareTo(w.cost()) == 0).count();
      if (ties > 1) {
        r.append("; as cheap as another way but done sooner");
      }
      if (w.way() == RunWay.FLEX) {
        r.append("; flex depends on Maritaca's spare capacity: when it is short, requests queue");
        r.append(" or get 429s and take longer");
      }
      if (deadline != null && speed.time == null) {
        r.append("; the real-time ways' time is not known without the account's limits");
      }
      return new Choice(w.way(), r.toString());
    }
    List<WayEstimate> onTime =
        ways.stream().filter(w -> Boolean.TRUE.equals(w.meetsDeadline())).toList();
    if (!onTime.isEmpty()) {
      WayEstimate w = onTime.stream().min(cheapest).orElseThrow();
      return new Choice(
          w.way(),
          "no way fits the budget of "
              + Money.format(budget)
              + " by the deadline: this is the cheapest that finishes by the deadline ("
              + Money.format(w.cost())
              + ")");
    }
    List<WayEstimate> affordable =
        ways.stream().filter(w -> !Boolean.FALSE.equals(w.withinBudget())).toList();
    if (!affordable.isEmpty()) {
      WayEstimate w = affordable.stream().min(byFinish.thenComparing(cheapest)).orElseThrow();
      return new Choice(
          w.way(),
          (speed.time == null
                  ? "no way is known to finish by the deadline (give the account's limits for the"
                      + " real-time ways)"
                  : "no way finishes by the deadline")
              + ": this one finishes first"
              + (budget != null ? " within the budget" : "")
              + (w.finish() != null ? " (" + local(w.finish()) + ")" : ""));
    }
    WayEstimate w = ways.stream().min(byFinish.thenComparing(cheapest)).orElseThrow();
    return new Choice(
        w.way(),
        "no way fits the deadline and the budget of "
            + Money.format(budget)
            + ": this one finishes first ("
            + Money.format(w.cost())
            + ")");
  }

  // ------------------------------------------------------------------ helpers

  private static BigDecimal blend(BigDecimal standard, BigDecimal offPeak, double offPeakShare) {
    if (offPeakShare <= 0) {
      return standard;
    }
    if (offPeakShare >= 1) {
      return offPeak;
    }
    BigDecimal s = BigDecimal.valueOf(offPeakShare);
    return canonical(offPeak.multiply(s).add(standard.multiply(BigDecimal.ONE.subtract(s))));
  }

  private static BigDecimal canonical(BigDecimal d) {
    if (d.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  /** {@code 2026-01-08 06:00 Brasília}: an instant for people, in the pricing windows' zone. */
  static String local(Instant t) {
    return t.atZone(PriceTable.OFF_PEAK_ZONE)
            .toLocalDateTime()
            .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
            .toString()
            .replace('T', ' ')
        + " Brasília";
  }

  private static long ceilDiv(long a, long b) {
    return a <= 0 ? 0 : (a + b - 1) / b;
  }

  private static String hours(Duration d) {
    return d.toMinutes() % 60 == 0 ? d.toHours() + " h" : d.toMinutes() + " min";
  }

  /** Builds a {@link JobPlanner}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final PriceTable prices;
    private Function<String, RateLimits> limits = m -> RateLimits.UNKNOWN;
    private BatchApiQuota quota = BatchApiQuota.forTier(null);
    private Instant deadline;
    private BigDecimal budget;
    private Clock clock = Clock.systemUTC();
    private int maxInFlight;
    private Duration answerTime;

    private Builder(PriceTable prices) {
      this.prices = Objects.requireNonNull(prices, "prices");
    }

    /**
     * The account's rate limits for each model (e.g. {@code m -> RateLimits.tier(1, m)}); by
     * default none are known, and the real-time ways' time is then unknown.
     */
    public Builder limits(Function<String, RateLimits> limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * The Batch API's limits (default {@link BatchApiQuota#forTier BatchApiQuota.forTier(null)}).
     */
    public Builder batchQuota(BatchApiQuota quota) {
      this.quota = Objects.requireNonNull(quota, "quota");
      return this;
    }

    /** When the job must be done; null for no deadline. */
    public Builder deadline(Instant deadline) {
      this.deadline = deadline;
      return this;
    }

    /**
     * The most the job may cost, BRL; null for none.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder budget(BigDecimal budget) {
      if (budget != null && budget.signum() <= 0) {
        throw new IllegalArgumentException("budget must be positive, was " + budget);
      }
      this.budget = budget;
      return this;
    }

    /**
     * Counts the in-flight cap too: with {@code maxInFlight} requests at once, each answered in
     * {@code answerTime}, at most {@code maxInFlight / answerTime} requests a second go, whatever
     * the rate limits allow (default: not counted, the rate limits alone decide).
     *
     * @throws IllegalArgumentException when {@code maxInFlight < 1} or the time is not positive
     */
    public Builder concurrency(int maxInFlight, Duration answerTime) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
      }
      Objects.requireNonNull(answerTime, "answerTime");
      if (answerTime.isNegative() || answerTime.isZero()) {
        throw new IllegalArgumentException("answerTime must be positive, was " + answerTime);
      }
      this.maxInFlight = maxInFlight;
      this.answerTime = answerTime;
      return this;
    }

    /** The wall clock: "now", and the pricing windows (default: the system's, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public JobPlanner build() {
      return new JobPlanner(this);
    }
  }
}
