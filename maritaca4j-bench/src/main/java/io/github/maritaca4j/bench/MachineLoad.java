package io.github.maritaca4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's busy CPU time from {@code /proc/stat} (Linux; user + nice + system + irq + softirq
 * + steal, in USER_HZ ticks of 10 ms), so that a run can report how much CPU other processes took
 * while it ran. Zero where {@code /proc/stat} is not readable.
 */
final class MachineLoad {
  private static final Path STAT = Path.of("/proc/stat");
  private static final double TICK_SECONDS = 0.01;

  private MachineLoad() {}

  /** Busy CPU seconds of the whole machine since boot; 0 when unknown. */
  static double busySeconds() {
    try {
      for (String line : Files.readAllLines(STAT)) {
        if (line.startsWith("cpu ")) {
          String[] f = line.trim().split("\\s+");
          long busy = 0;
          // user nice system idle iowait irq softirq steal ...
          int[] fields = {1, 2, 3, 6, 7, 8};
          for (int i : fields) {
            if (i < f.length) {
              busy += Long.parseLong(f[i]);
            }
          }
          return busy * TICK_SECONDS;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /** The 1-minute load average, or -1 when unknown. */
  static double loadAverage() {
    try {
      String s = Files.readString(Path.of("/proc/loadavg")).trim();
      return Double.parseDouble(s.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
