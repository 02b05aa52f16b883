package io.github.maritaca4j.jobs;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.Role;
import io.github.maritaca4j.cost.CostEstimator;
import io.github.maritaca4j.cost.ModelPrice;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.TokenCounter;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.internal.tokens.MemoizingCounter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a JSONL job asks for, model by model: the figures {@link JobPlanner} plans with. Made from
 * an input file by {@link #scan} (one pass, nothing sent), or built by hand. Immutable.
 *
 * @param input the pass over the file (problems, requests by model); null for a profile built by
 *     hand
 * @param models the work of each model, in the order first met
 */
public record JobProfile(InputReport input, List<ModelWork> models) {

  /**
   * A shared prefix (the leading system messages) shorter than this is taken as not cached.
   * Maritaca does not document its prompt cache's threshold; 1,024 tokens is the common rule
   * (OpenAI's, and the simulator's).
   */
  public static final int LIKELY_CACHED_MIN_TOKENS = 1024;

  /** Distinct shared prefixes tracked; beyond, new prefixes count as not cached (conservative). */
  static final int MAX_PREFIXES = 100_000;

  public JobProfile {
    models = List.copyOf(Objects.requireNonNull(models, "models"));
  }

  /** A profile of the given models, not read from a file. */
  public static JobProfile of(ModelWork... models) {
    return new JobProfile(null, List.of(models));
  }

  /** Whether the input has no problem. */
  public boolean isValid() {
    return input == null || input.isValid();
  }

  /** Requests over all models. */
  public long requests() {
    return models.stream().mapToLong(ModelWork::requests).sum();
  }

  /** Estimated input tokens over all models. */
  public long inputTokens() {
    return models.stream().mapToLong(ModelWork::inputTokens).sum();
  }

  /** Assumed output tokens over all models. */
  public long outputTokens() {
    return models.stream().mapToLong(ModelWork::outputTokens).sum();
  }

  /** Input characters over all models (what the Batch API's daily quota counts). */
  public long inputCharacters() {
    return models.stream().mapToLong(ModelWork::inputCharacters).sum();
  }

  /**
   * The work of one model.
   *
   * @param model the canonical model id
   * @param requests requests to this model
   * @param inputTokens estimated input tokens (counted, with message framing)
   * @param outputTokens output tokens assumed: each request's {@code max_tokens}, else the default
   *     given, capped at the model's maximum output
   * @param maxOutputTokens output tokens at most: {@code max_tokens}, else the model's maximum
   * @param likelyCachedTokens input tokens likely to be served from Maritaca's prompt cache: for
   *     every request after the first with the same leading system messages (at least {@link
   *     #LIKELY_CACHED_MIN_TOKENS} tokens of them), those messages' tokens
   * @param inputCharacters characters of the messages' text
   * @param bytes bytes of the input lines (what a Batch API input file of them weighs, about)
   */
  public record ModelWork(
      String model,
      long requests,
      long inputTokens,
      long outputTokens,
      long maxOutputTokens,
      long likelyCachedTokens,
      long inputCharacters,
      long bytes) {
    public ModelWork {
      Objects.requireNonNull(model, "model");
      if (requests < 0
          || inputTokens < 0
          || outputTokens < 0
          || maxOutputTokens < 0
          || likelyCachedTokens < 0
          || inputCharacters < 0
          || bytes < 0) {
        throw new IllegalArgumentException("counts must not be negative: " + model);
      }
      if (likelyCachedTokens > inputTokens) {
        throw new IllegalArgumentException(
            "likelyCachedTokens (" + likelyCachedTokens + ") > inputTokens (" + inputTokens + ")");
      }
    }
  }

  /**
   * Reads {@code input} once (validating every line, as {@link JsonlJob#estimate} does) and
   * profiles its requests. Memory: the set of ids seen (for duplicates) and at most {@value
   * #MAX_PREFIXES} prefix fingerprints.
   *
   * @param client whose defaults fill in the lines (model, max tokens), whose price table and token
   *     counter are used
   * @param outputTokens output tokens assumed for a request without {@code max_tokens}
   * @throws JobException when the file cannot be read
   */
  public static JobProfile scan(ChatMaritaca client, Path input, int outputTokens) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(input, "input");
    if (outputTokens < 0) {
      throw new IllegalArgumentException("output tokens must be >= 0, was " + outputTokens);
    }
    PriceTable prices = client.priceTable();
    TokenCounter counter = MemoizingCounter.forBatch(client.costEstimator().counter());
    long fileBytes;
    try {
      fileBytes = Files.size(input);
    } catch (IOException e) {
      throw new JobException("cannot read " + input + ": " + e.getMessage(), e);
    }
    Map<String, long[]> perModel = new LinkedHashMap<>(); // model → 7 counters
    Map<Long, Boolean> prefixes = new HashMap<>();
    InputReport report;
    try (InputScan scan =
        InputScan.open(
            input,
            new JobLineParser(client.defaults(), prices),
            null,
            InputScan.DEFAULT_MAX_PROBLEMS,
            true)) {
      while (scan.hasNext()) {
        ChatRequest r = scan.next().request();
        ModelPrice price = prices.require(r.model());
        long[] m = perModel.computeIfAbsent(price.model(), k -> new long[7]);
        long in = counter.countRequest(r);
        Integer max = r.maxTokens();
        m[0]++;
        m[1] += in;
        m[2] += Math.min(max != null ? max : outputTokens, price.maxOutputTokens());
        m[3] += Math.min(max != null ? max : price.maxOutputTokens(), price.maxOutputTokens());
        List<Message> prefix = leadingSystemMessages(r.messages());
        if (!prefix.isEmpty()) {
          long prefixTokens = counter.countMessages(prefix);
          if (prefixTokens >= LIKELY_CACHED_MIN_TOKENS) {
            long fp = fingerprint(price.model(), prefix);
            if (prefixes.containsKey(fp)) {
              m[4] += Math.min(prefixTokens, in);
            } else if (prefixes.size() < MAX_PREFIXES) {
              prefixes.put(fp, Boolean.TRUE);
            }
          }
        }
        for (Message msg : r.messages()) {
          m[5] += msg.text().length();
        }
      }
      report = scan.report();
    }
    long requests = perModel.values().stream().mapToLong(v -> v[0]).sum();
    List<ModelWork> models = new ArrayList<>();
    for (Map.Entry<String, long[]> e : perModel.entrySet()) {
      long[] v = e.getValue();
      long bytes = requests == 0 ? 0 : Math.round(fileBytes * (v[0] / (double) requests));
      models.add(new ModelWork(e.getKey(), v[0], v[1], v[2], v[3], v[4], v[5], bytes));
    }
    return new JobProfile(report, models);
  }

  private static List<Message> leadingSystemMessages(List<Message> messages) {
    int n = 0;
    while (n < messages.size() && messages.get(n).role() == Role.SYSTEM) {
      n++;
    }
    return n == messages.size() ? List.of() : messages.subList(0, n);
  }

  /** 64-bit FNV-1a of the model and the prefix's texts. */
  private static long fingerprint(String model, List<Message> prefix) {
    long h = 0xcbf29ce484222325L;
    h = mix(h, model);
    for (Message m : prefix) {
      h = mix(h, "\u0000");
      h = mix(h, m.text());
    }
    return h;
  }

  private static long mix(long h, String s) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The estimator's worst-case input tokens (+10 %) of {@code inputTokens}. */
  static long worstInput(long inputTokens) {
    return CostEstimator.worstCaseInputTokens(inputTokens);
  }
}
