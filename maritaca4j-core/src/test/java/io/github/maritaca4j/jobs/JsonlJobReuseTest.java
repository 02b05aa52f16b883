package io.github.maritaca4j.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.TestClocks;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.simulator.Latency;
import io.github.maritaca4j.simulator.MaritacaSimulator;
import io.github.maritaca4j.simulator.SimulatorStats;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Response cache, deduplication and prefix-aware order of JSONL jobs, on the simulator. */
class JsonlJobReuseTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  MaritacaSimulator sim;
  ChatMaritaca client;

  @BeforeEach
  void start() {
    sim = MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(30))).start();
    client =
        ChatMaritaca.builder()
            .baseUrl(sim.baseUrl())
            .apiKey("test-key")
            .model("sabiazinho-4")
            .maxTokens(30)
            .clock(TestClocks.peak())
            .build();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  /** {@code distinct} questions, each {@code copies} times, shuffled; custom_ids q0, q1, ... */
  private Path repeated(String name, int distinct, int copies, long seed) throws Exception {
    List<String> bodies = new ArrayList<>();
    for (int d = 0; d < distinct; d++) {
      for (int c = 0; c < copies; c++) {
        bodies.add("Pergunta número " + d + "?");
      }
    }
    Collections.shuffle(bodies, new Random(seed));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < bodies.size(); i++) {
      sb.append("{\"custom_id\":\"q").append(i).append("\",\"prompt\":\"");
      sb.append(bodies.get(i)).append("\"}\n");
    }
    Path p = dir.resolve(name);
    Files.writeString(p, sb.toString());
    return p;
  }

  private JsonlJob.Builder job(Path in, Path out, int concurrency) {
    return JsonlJob.builder(client, JobFiles.of(in, out))
        .options(BatchOptions.builder().maxConcurrency(concurrency).build());
  }

  private static List<JsonNode> lines(Path f) throws Exception {
    List<JsonNode> l = new ArrayList<>();
    if (!Files.exists(f)) {
      return l;
    }
    for (String s : Files.readAllLines(f)) {
      if (!s.isBlank()) {
        l.add(JSON.readTree(s));
      }
    }
    return l;
  }

  private static String content(JsonNode line) {
    return line.path("response")
        .path("body")
        .path("choices")
        .get(0)
        .path("message")
        .path("content")
        .asText();
  }

  @Test
  void identicalRequestsAreSentOnceAndAnsweredForEachCustomId() throws Exception {
    Path in = repeated("in.jsonl", 10, 4, 1);
    Path out = dir.resolve("out.jsonl");
    AtomicInteger reused = new AtomicInteger();
    JsonlJob job =
        job(in, out, 4)
            .listener(
                new JobListener() {
                  @Override
                  public void onItemReused(
                      String id, ChatRequest r, io.github.maritaca4j.ChatResult res, String dup) {
                    assertThat(dup).isNotNull();
                    reused.incrementAndGet();
                  }
                })
            .build();
    JobSummary s = job.run(job.prepare());

    assertThat(sim.stats().ok()).isEqualTo(10);
    assertThat(s.succeeded()).isEqualTo(40);
    assertThat(s.notRun()).isZero();
    assertThat(reused).hasValue(30);
    List<JsonNode> lines = lines(out);
    assertThat(lines).hasSize(40);
    assertThat(lines.stream().map(l -> l.path("custom_id").asText()).distinct()).hasSize(40);
    long dups = lines.stream().filter(l -> l.hasNonNull("duplicate_of")).count();
    assertThat(dups).isEqualTo(30);
    // a duplicate carries the answer of the request it names
    Map<String, JsonNode> byId = new java.util.HashMap<>();
    lines.forEach(l -> byId.put(l.path("custom_id").asText(), l));
    for (JsonNode l : lines) {
      if (l.hasNonNull("duplicate_of")) {
        JsonNode first = byId.get(l.path("duplicate_of").asText());
        assertThat(first.has("duplicate_of")).isFalse();
        assertThat(content(l)).isEqualTo(content(first));
      }
    }
    // the summary's cost is that of the 10 requests sent
    assertThat(s.usage().promptTokens()).isEqualTo(sim.stats().promptTokens());
  }

  @Test
  void withoutDeduplicationEveryLineIsSent() throws Exception {
    Path in = repeated("in.jsonl", 5, 3, 2);
    JsonlJob job = job(in, dir.resolve("out.jsonl"), 4).deduplicate(false).build();
    job.run(job.prepare());
    assertThat(sim.stats().ok()).isEqualTo(15);
  }

  @Test
  void aSecondJobIsAnsweredFromTheCacheAtZeroCost() throws Exception {
    Path in = repeated("in.jsonl", 12, 1, 3);
    ResponseCache cache = ResponseCache.inMemory(100);
    JsonlJob first = job(in, dir.resolve("a.jsonl"), 4).cache(cache).build();
    JobSummary a = first.run(first.prepare());
    assertThat(a.cost().total()).isPositive();
    long sent = sim.stats().ok();
    assertThat(sent).isEqualTo(12);

    Path out = dir.resolve("b.jsonl");
    JsonlJob second = job(in, out, 4).cache(cache).build();
    JobSummary b = second.run(second.prepare());

    assertThat(sim.stats().ok()).as("nothing sent").isEqualTo(sent);
    assertThat(b.succeeded()).isEqualTo(12);
    assertThat(b.cost().total()).isEqualByComparingTo(BigDecimal.ZERO);
    List<JsonNode> lines = lines(out);
    assertThat(lines).hasSize(12).allMatch(l -> l.path("from_cache").asBoolean());
    Map<String, String> firstAnswers = new java.util.HashMap<>();
    lines(dir.resolve("a.jsonl"))
        .forEach(l -> firstAnswers.put(l.path("custom_id").asText(), content(l)));
    for (JsonNode l : lines) {
      assertThat(content(l)).isEqualTo(firstAnswers.get(l.path("custom_id").asText()));
      assertThat(l.path("response").path("status_code").asInt()).isEqualTo(200);
    }
    // our own reader accepts the line
    assertThat(
            io.github.maritaca4j.batchapi.ResultLine.parse(Files.readAllLines(out).get(0))
                .isSuccess())
        .isTrue();
  }

  @Test
  void cacheHitsAreWrittenManyLinesAtATimeAndReportedOnlyOnceInTheFile() throws Exception {
    int n = 1_500; // several writes of held lines (at most JobFeed.REUSED_PER_CALL per call)
    Path in = repeated("in.jsonl", n, 1, 5);
    ResponseCache cache = ResponseCache.inMemory(n);
    JsonlJob first = job(in, dir.resolve("a.jsonl"), 64).cache(cache).build();
    assertThat(first.run(first.prepare()).succeeded()).isEqualTo(n);

    Path out = dir.resolve("b.jsonl");
    java.util.concurrent.atomic.AtomicInteger reported =
        new java.util.concurrent.atomic.AtomicInteger();
    List<String> notYetWritten = new java.util.concurrent.CopyOnWriteArrayList<>();
    JobListener watch =
        new JobListener() {
          @Override
          public void onItemReused(
              String customId, ChatRequest request, ChatResult result, String duplicateOf) {
            int k = reported.incrementAndGet();
            if (k % 100 == 1) {
              try {
                long written = Files.readAllLines(out).size();
                if (written < k) {
                  notYetWritten.add(
                      customId + " reported as #" + k + " with " + written + " lines");
                }
              } catch (java.io.IOException e) {
                notYetWritten.add(e.toString());
              }
            }
          }
        };
    long sent = sim.stats().ok();
    JsonlJob second = job(in, out, 64).cache(cache).listener(watch).build();
    JobSummary b = second.run(second.prepare());

    assertThat(sim.stats().ok()).as("nothing sent").isEqualTo(sent);
    assertThat(b.succeeded()).isEqualTo(n);
    assertThat(reported).hasValue(n);
    assertThat(notYetWritten).as("reported before its line was in the file").isEmpty();
    List<JsonNode> lines = lines(out);
    assertThat(lines).hasSize(n).allMatch(l -> l.path("from_cache").asBoolean());
    assertThat(lines.stream().map(l -> l.path("custom_id").asText()).distinct().count())
        .isEqualTo(n);
    // every line whole and read back by the job's own scan
    assertThat(ResultFile.scan(out, false, id -> {}).lines()).isEqualTo(n);
  }

  @Test
  void aCorruptEntryIsSentAgainNeverServed() throws Exception {
    Path in = repeated("in.jsonl", 3, 1, 4);
    ResponseCache cache = ResponseCache.inMemory(100);
    for (String q : List.of("Pergunta número 0?", "Pergunta número 1?")) {
      ChatRequest r =
          new JobLineParser(client.defaults(), client.priceTable())
              .parse("{\"custom_id\":\"x\",\"prompt\":\"" + q + "\"}", 1)
              .request();
      cache.put(RequestKey.of(r), q.endsWith("0?") ? "{\"choices\": [tru" : "[1, 2]");
    }
    Path out = dir.resolve("out.jsonl");
    JsonlJob job = job(in, out, 2).cache(cache).build();
    JobSummary s = job.run(job.prepare());
    assertThat(sim.stats().ok()).isEqualTo(3);
    assertThat(s.succeeded()).isEqualTo(3);
    assertThat(lines(out)).noneMatch(l -> l.has("from_cache"));
    // the answers replaced the corrupt entries
    JsonlJob again = job(in, dir.resolve("again.jsonl"), 2).cache(cache).build();
    again.run(again.prepare());
    assertThat(sim.stats().ok()).isEqualTo(3);
    assertThat(lines(dir.resolve("again.jsonl"))).allMatch(l -> l.path("from_cache").asBoolean());
  }

  @Test
  void stoppedMidwayAndResumedEveryCustomIdEndsOnceWithDuplicatesWaiting() throws Exception {
    Path in = repeated("in.jsonl", 20, 3, 5);
    Path out = dir.resolve("out.jsonl");
    AtomicInteger written = new AtomicInteger();
    JsonlJob[] holder = new JsonlJob[1];
    holder[0] =
        job(in, out, 3)
            .listener(
                new JobListener() {
                  @Override
                  public void onItemWritten(String id, io.github.maritaca4j.batch.BatchItem item) {
                    if (written.incrementAndGet() == 5) {
                      holder[0].stop();
                    }
                  }
                })
            .build();
    JobSummary s1 = holder[0].run(holder[0].prepare());
    assertThat(s1.stopped()).isTrue();
    JsonlJob rest = job(in, out, 3).build();
    JobPlan plan = rest.prepare();
    assertThat(plan.alreadyDone()).isEqualTo(lines(out).size());
    rest.run(plan);
    List<JsonNode> lines = lines(out);
    assertThat(lines).hasSize(60);
    assertThat(lines.stream().map(l -> l.path("custom_id").asText()).distinct()).hasSize(60);
  }

  // ---------------------------------------------------------------- prefix order

  /** {@code groups} templates with a long system prompt each, {@code per} lines each, shuffled. */
  private Path templated(int groups, int per, long seed) throws Exception {
    List<String> lines = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      String system =
          "Modelo "
              + g
              + ": "
              + "Você classifica textos sobre o rio Amazonas e a floresta. ".repeat(70);
      for (int i = 0; i < per; i++) {
        lines.add(
            JSON.writeValueAsString(
                Map.of(
                    "custom_id",
                    "g" + g + "-" + i,
                    "body",
                    Map.of(
                        "model",
                        "sabiazinho-4",
                        "max_tokens",
                        20,
                        "messages",
                        List.of(
                            Map.of("role", "system", "content", system),
                            Map.of("role", "user", "content", "Texto " + i + " do grupo " + g))))));
      }
    }
    Collections.shuffle(lines, new Random(seed));
    Path p = dir.resolve("templated.jsonl");
    Files.write(p, lines);
    return p;
  }

  private long cachedLines(SimulatorStats st) {
    return st.log().stream().filter(r -> r.cachedTokens() > 0).count();
  }

  @Test
  void prefixOrderSendsTheFirstOfEachGroupAloneSoTheOthersHitThePromptCache() throws Exception {
    sim.close();
    sim = MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(150))).start();
    client = client.toBuilder().baseUrl(sim.baseUrl()).build();
    Path in = templated(6, 10, 7);
    JsonlJob job = job(in, dir.resolve("out.jsonl"), 12).build(); // PREFIX is the default
    JobSummary s = job.run(job.prepare());
    assertThat(s.succeeded()).isEqualTo(60);
    SimulatorStats st = sim.stats();
    assertThat(st.ok()).isEqualTo(60);
    assertThat(cachedLines(st)).as("every line but the first of each group").isEqualTo(54);
    assertThat(s.usage().cachedPromptTokens()).isEqualTo(st.cachedTokens());
  }

  @Test
  void inputOrderSendsLinesOfAGroupTogetherAndTheyPayInFull() throws Exception {
    sim.close();
    sim = MaritacaSimulator.builder().latency(Latency.fixed(Duration.ofMillis(150))).start();
    client = client.toBuilder().baseUrl(sim.baseUrl()).build();
    Path in = templated(6, 10, 7);
    JsonlJob job = job(in, dir.resolve("out.jsonl"), 12).order(JobOrder.INPUT).build();
    job.run(job.prepare());
    SimulatorStats st = sim.stats();
    assertThat(st.ok()).isEqualTo(60);
    assertThat(cachedLines(st)).isLessThan(54);
  }
}
