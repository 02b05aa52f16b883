package io.github.maritaca4j.redis;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batch.BatchResult;
import io.github.maritaca4j.batch.SharedLimits;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The other "process" of {@link TwoProcessesTest}: a JVM of its own that warms up, connects to
 * Redis (unless told {@code none}), says {@code READY}, waits for a line on standard input, runs
 * its batch and prints {@code DONE ok=N failed=N}.
 *
 * <p>Arguments: base URL, API key, RPM, Redis URL or {@code none}, requests, concurrency.
 */
public final class ChildBatch {
  private ChildBatch() {}

  public static void main(String[] args) throws Exception {
    String baseUrl = args[0];
    String key = args[1];
    long rpm = Long.parseLong(args[2]);
    String redis = args[3];
    int n = Integer.parseInt(args[4]);
    int concurrency = Integer.parseInt(args[5]);
    Batches.warmUp();
    SharedLimits store = redis.equals("none") ? null : SharedLimits.connect(redis);
    if (store != null) {
      SharedLimits.Bucket[] warm = {
        new SharedLimits.Bucket(60, 3), SharedLimits.Bucket.NONE, SharedLimits.Bucket.NONE
      };
      store.tryTake("maritaca4j:warm-up:" + key + ":child", warm, new double[] {1, 0, 0});
    }
    ChatMaritaca.Builder b = Batches.client(baseUrl, key, rpm);
    if (store != null) {
      b.sharedLimits(store);
    }
    ChatMaritaca client = b.build();
    System.out.println("READY");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    in.readLine();
    BatchResult r =
        client
            .batchAsync(Batches.questions("filho", n), Batches.options(concurrency))
            .get(60, TimeUnit.SECONDS);
    System.out.println("DONE ok=" + r.successCount() + " failed=" + r.failureCount());
    System.out.flush();
    if (store != null) {
      store.close();
    }
    System.exit(0);
  }
}
