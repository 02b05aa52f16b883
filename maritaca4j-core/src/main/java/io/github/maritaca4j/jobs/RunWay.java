package io.github.maritaca4j.jobs;

import io.github.maritaca4j.cost.PricingMode;

/** The ways to run a JSONL job that {@link JobPlanner} compares; they exclude one another. */
public enum RunWay {
  /** Real time, starting now ({@code maritaca batch run}): prices of the hours it runs in. */
  REALTIME_NOW("real time now", "realtime_now"),
  /**
   * Real time, only in the off-peak window, 22:00 to 06:00 Brasília ({@code batch run --off-peak}):
   * 30 % off, night after night until done.
   */
  REALTIME_OFF_PEAK("real time off-peak", "realtime_off_peak"),
  /** Real time on the flex tier ({@code batch run --flex}): 50 % off, subject to capacity. */
  FLEX("flex", "flex"),
  /** Maritaca's Batch API ({@code batch submit}): 50 % off, results within 24 h. */
  BATCH_API("Batch API", "batch_api");

  private final String label;
  private final String jsonName;

  RunWay(String label, String jsonName) {
    this.label = label;
    this.jsonName = jsonName;
  }

  /** A name for people ("real time now"). */
  public String label() {
    return label;
  }

  /** A name for JSON ("realtime_now"). */
  public String jsonName() {
    return jsonName;
  }

  /** The pricing mode of the way when its whole run is in one pricing window. */
  public PricingMode pricingMode() {
    return switch (this) {
      case REALTIME_NOW -> PricingMode.STANDARD;
      case REALTIME_OFF_PEAK -> PricingMode.OFF_PEAK;
      case FLEX -> PricingMode.FLEX;
      case BATCH_API -> PricingMode.BATCH;
    };
  }
}
