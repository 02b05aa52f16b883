package io.github.maritaca4j.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.batch.RequestFeed;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.internal.Json;
import io.github.maritaca4j.internal.WireFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of a {@link JsonlJob} run, between its input scan and the batch engine: answers a
 * request from the {@link ResponseCache} (or from an identical request answered earlier in the run)
 * without sending it, sends identical requests once (the others wait for its answer), and, in
 * {@link JobOrder#PREFIX} order, holds back the requests whose prefix group has its first request
 * in flight until that one is answered.
 *
 * <p>Lock order: the engine's lock, then this feed's, then the sink's (the job's writes). The
 * engine calls {@link #hasNext}, {@link #ready} and {@link #next} under its lock; {@link
 * #completed} is called on the engine's callback thread with no lock held, and calls the wake-up
 * after releasing this feed's lock.
 */
final class JobFeed implements RequestFeed {
  private static final Logger log = LoggerFactory.getLogger(JobFeed.class);

  /** Requests answered without sending in one call before the engine gets its lock back. */
  static final int REUSED_PER_CALL = 512;

  /**
   * The most requests handed to the engine and not yet written (in flight, or answered with their
   * line still to write): beyond it the feed waits, so that answers arriving faster than they can
   * be written and stored do not pile up in memory.
   */
  static final int MAX_UNWRITTEN = 4096;

  /** Input lines looked up in the cache with one query. */
  static final int LOOKAHEAD = 200;

  /** Groups of {@link #LOOKAHEAD} lines read and looked up ahead of the feed (with a cache). */
  static final int READ_AHEAD_GROUPS = 8;

  /** Answers kept in memory for repeats when there is no cache (most recently used). */
  static final int RECENT_ANSWERS = 10_000;

  /** Prefix groups remembered as answered (most recently used). */
  static final int ANSWERED_GROUPS = 100_000;

  /** Where the requests answered without sending are written. */
  interface Sink {
    /**
     * Writes {@code r}'s answer taken from the cache ({@code duplicateOf} null) or from the
     * identical request {@code duplicateOf} of this run; the sink may hold the line until {@link
     * #flush()}.
     */
    void reused(JobRequest r, ChatResult result, String completionJson, String duplicateOf);

    /** Writes the lines {@link #reused} holds; called after each call that answered some. */
    default void flush() {}
  }

  /** One request handed to the engine, with the identical ones waiting for its answer. */
  static final class Sent {
    final JobRequest request;
    final String key;
    final Long group;
    final boolean leader;
    final List<JobRequest> duplicates = new ArrayList<>(0);

    Sent(JobRequest request, String key, Long group, boolean leader) {
      this.request = request;
      this.key = key;
      this.group = group;
      this.leader = leader;
    }
  }

  private final InputScan scan;
  private final ResponseCache cache;
  private final boolean dedup;
  private final boolean prefixOrder;
  private final BooleanSupplier mayStart;
  private final Sink sink;
  private final io.github.maritaca4j.batch.ResponseValidator validator;
  private volatile Runnable wake;

  // ---- guarded by this
  private final Map<Integer, Sent> inFlight = new HashMap<>();
  private final Map<String, Sent> byKey = new HashMap<>();
  private final ArrayDeque<Sent> readyQueue = new ArrayDeque<>();
  private final Map<Long, ArrayDeque<JobRequest>> held = new HashMap<>();
  private final Map<Long, Boolean> groups = lru(ANSWERED_GROUPS); // true: first in flight
  private final Map<String, String[]> recent; // key -> {completion JSON, custom_id answered}
  private Sent pending;
  private final ArrayDeque<Line> lookahead = new ArrayDeque<>();
  private ReadAhead readAhead;
  private boolean inputEnded;

  /** Answers stored in the cache by this feed so far (counted once each is stored). */
  private final java.util.concurrent.atomic.AtomicLong stored =
      new java.util.concurrent.atomic.AtomicLong();

  private boolean throttled;
  private int heldCount;
  private int nextIndex;
  private boolean again;

  JobFeed(
      InputScan scan,
      ResponseCache cache,
      boolean dedup,
      JobOrder order,
      BooleanSupplier mayStart,
      Sink sink,
      io.github.maritaca4j.batch.ResponseValidator validator) {
    this.scan = scan;
    this.cache = cache;
    this.dedup = dedup;
    this.prefixOrder = order == JobOrder.PREFIX;
    this.mayStart = mayStart;
    this.sink = sink;
    this.validator = validator;
    this.recent = dedup && cache == null ? lru(RECENT_ANSWERS) : null;
  }

  private static <K, V> Map<K, V> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> e) {
        return size() > max;
      }
    };
  }

  @Override
  public void onReady(Runnable wakeUp) {
    this.wake = wakeUp;
  }

  @Override
  public boolean hasNext() {
    boolean wakeNow;
    boolean result;
    synchronized (this) {
      if (pending != null) {
        return true;
      }
      if (!mayStart.getAsBoolean()) {
        return false;
      }
      advance();
      wakeNow = again;
      again = false;
      result = pending != null || heldCount > 0 || wakeNow || !lookahead.isEmpty() || throttled;
    }
    sink.flush(); // the lines answered without sending in this call, written together
    if (wakeNow) {
      wakeUp();
    }
    return result;
  }

  @Override
  public synchronized boolean ready() {
    return pending != null;
  }

  @Override
  public ChatRequest next() {
    synchronized (this) {
      if (pending == null) {
        throw new NoSuchElementException();
      }
      Sent s = pending;
      pending = null;
      inFlight.put(nextIndex++, s);
      return s.request.request();
    }
  }

  /**
   * Item {@code index} of the engine finished: takes it off the requests in flight, remembers its
   * answer ({@code result}, null for a failure) for identical requests, and lets the held requests
   * of its group go. Returns the request and the identical ones that waited for it.
   */
  Sent completed(int index, ChatResult result) {
    boolean wakeNow = false;
    Sent s;
    synchronized (this) {
      s = inFlight.remove(index);
      if (s == null) {
        return null;
      }
      if (s.key != null) {
        if (result != null) {
          remember(s.key, ResultLineWriter.completionJson(result), s.request.customId());
        }
        byKey.remove(s.key, s);
      }
      if (s.leader && s.group != null) {
        ArrayDeque<JobRequest> q = held.get(s.group);
        if (result != null) {
          groups.put(s.group, Boolean.FALSE); // answered: its prefix is in the server's cache
          if (q != null) {
            held.remove(s.group);
            heldCount -= q.size();
            for (JobRequest r : q) {
              readyQueue.add(new Sent(r, keyOf(r), null, false));
            }
          }
        } else if (q != null && !q.isEmpty()) {
          // the first failed: the next of the group goes first in its place
          heldCount--;
          JobRequest r = q.poll();
          if (q.isEmpty()) {
            held.remove(s.group);
          }
          readyQueue.add(new Sent(r, keyOf(r), s.group, true));
        } else {
          groups.remove(s.group);
        }
        wakeNow = !readyQueue.isEmpty();
      }
      if (throttled && inFlight.size() <= MAX_UNWRITTEN / 2) {
        throttled = false;
        wakeNow = true;
      }
    }
    if (wakeNow) {
      wakeUp();
    }
    return s;
  }

  private void wakeUp() {
    Runnable w = wake;
    if (w != null) {
      w.run();
    }
  }

  private String keyOf(JobRequest r) {
    return cache != null || dedup ? RequestKey.of(r.request()) : null;
  }

  private void remember(String key, String completionJson, String customId) {
    if (cache != null) {
      try {
        cache.put(key, completionJson);
      } catch (RuntimeException e) {
        log.warn("response cache: cannot store an answer: {}", e.toString());
      }
      // after the put: a lookup that started before it sees a different count (see reuse)
      stored.incrementAndGet();
    } else if (recent != null) {
      recent.put(key, new String[] {completionJson, customId});
    }
  }

  /** An input line read ahead, with its key and what the cache held for it. */
  private static final class Line {
    final JobRequest request;
    final String key;
    final boolean looked;
    String cached;

    /** The value of {@link #stored} before the lookup. */
    long storedBefore;

    Line(JobRequest request, String key, boolean looked) {
      this.request = request;
      this.key = key;
      this.looked = looked;
    }
  }

  /**
   * Whether there is another input line: with a cache, the lines are read, keyed and looked up in
   * it {@link #LOOKAHEAD} at a time by a thread of their own ({@link ReadAhead}), ahead of this
   * one; this call waits for the next group when none is ready.
   */
  private boolean moreLines() {
    if (!lookahead.isEmpty()) {
      return true;
    }
    if (cache == null) {
      return scan.hasNext();
    }
    if (inputEnded) {
      return false;
    }
    if (readAhead == null) {
      readAhead = new ReadAhead();
      readAhead.start();
    }
    List<Line> group = readAhead.take();
    if (group == null) {
      inputEnded = true;
      return false;
    }
    lookahead.addAll(group);
    return true;
  }

  /** The next input line (after {@link #moreLines()} returned true). */
  private Line nextLine() {
    if (!lookahead.isEmpty()) {
      return lookahead.poll();
    }
    JobRequest r = scan.next();
    return new Line(r, keyOf(r), false);
  }

  /**
   * Stops the thread reading ahead (when there is one) and waits for it: call before the input scan
   * is closed. Idempotent.
   */
  void close() {
    ReadAhead ra;
    synchronized (this) {
      ra = readAhead;
    }
    if (ra != null) {
      ra.stop();
    }
  }

  /**
   * Reads the input lines, computes their keys and looks them up in the cache, one group of {@link
   * #LOOKAHEAD} lines per query, on a thread of its own, at most {@link #READ_AHEAD_GROUPS} groups
   * ahead of the feed. A failure of the input scan is handed over in order, and thrown by {@link
   * #take()}.
   */
  private final class ReadAhead implements Runnable {
    private final java.util.concurrent.BlockingQueue<Object> groups =
        new java.util.concurrent.ArrayBlockingQueue<>(READ_AHEAD_GROUPS);
    private final Object end = new Object();
    private final Thread thread = new Thread(this, "maritaca4j-job-read-ahead");
    private volatile boolean stopped;

    void start() {
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void run() {
      try {
        while (!stopped) {
          List<Line> group = new ArrayList<>(LOOKAHEAD);
          List<String> keys = new ArrayList<>(LOOKAHEAD);
          while (group.size() < LOOKAHEAD && scan.hasNext()) {
            JobRequest r = scan.next();
            Line l = new Line(r, RequestKey.of(r.request()), true);
            group.add(l);
            keys.add(l.key);
          }
          if (group.isEmpty()) {
            hand(end);
            return;
          }
          long before = stored.get();
          Map<String, String> found;
          try {
            found = cache.getAll(keys);
          } catch (RuntimeException e) {
            log.warn("response cache: cannot read entries (they are sent again): {}", e.toString());
            found = Map.of();
          }
          for (Line l : group) {
            l.cached = found.get(l.key);
            l.storedBefore = before;
          }
          hand(group);
        }
      } catch (RuntimeException | Error e) {
        hand(e);
      }
    }

    /** Queues {@code o} for the feed, waiting for room; gives up once stopped. */
    private void hand(Object o) {
      try {
        while (!stopped) {
          if (groups.offer(o, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** The next group of lines; null at the end of the input. */
    @SuppressWarnings("unchecked")
    List<Line> take() {
      Object o;
      try {
        o = groups.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new JobException("interrupted while reading the input", e);
      }
      if (o == end) {
        return null;
      }
      if (o instanceof RuntimeException e) {
        throw e;
      }
      if (o instanceof Error e) {
        throw e;
      }
      return (List<Line>) o;
    }

    void stop() {
      stopped = true;
      groups.clear(); // room for a last hand-over
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Sets {@link #pending} to the next request to send, answering reusable ones on the way. */
  private void advance() {
    Sent q = readyQueue.poll();
    if (q != null) {
      pending = claim(q);
      if (pending != null) {
        return;
      }
    }
    int reusedNow = 0;
    while (pending == null) {
      if (inFlight.size() >= MAX_UNWRITTEN) {
        throttled = true; // completed() wakes the engine once the writes caught up
        return;
      }
      q = readyQueue.poll();
      if (q != null) {
        pending = claim(q);
        continue;
      }
      if (!moreLines()) {
        return;
      }
      if (reusedNow >= REUSED_PER_CALL) {
        again = true; // give the engine its lock back; the wake-up brings us here again
        return;
      }
      Line line = nextLine();
      JobRequest r = line.request;
      String key = line.key;
      Long group = prefixOrder ? groupOf(r.request()) : null;
      Sent s = new Sent(r, key, group, false);
      if (key != null && reuse(s, line)) {
        reusedNow++;
        continue;
      }
      if (group != null) {
        Boolean firstInFlight = groups.get(group);
        if (firstInFlight == null) {
          groups.put(group, Boolean.TRUE);
          s = new Sent(r, key, group, true);
        } else if (firstInFlight && heldCount < JobOrder.MAX_HELD) {
          held.computeIfAbsent(group, g -> new ArrayDeque<>()).add(r);
          heldCount++;
          continue;
        }
      }
      if (key != null) {
        byKey.put(key, s);
      }
      pending = s;
    }
  }

  /**
   * A released request about to go: answered from the cache or joined to an identical one in flight
   * when possible (null then), else itself.
   */
  private Sent claim(Sent s) {
    if (s.key != null) {
      if (reuse(s, null)) {
        return null;
      }
      byKey.put(s.key, s);
    }
    return s;
  }

  /**
   * Answers {@code s} from the cache or an identical request of this run; false to send it. {@code
   * line}, when not null, holds what the cache had for it when it was read ahead.
   */
  private boolean reuse(Sent s, Line line) {
    Sent same = byKey.get(s.key);
    if (same != null) {
      same.duplicates.add(s.request);
      return true;
    }
    String json;
    String duplicateOf = null;
    if (cache != null) {
      // read ahead: trust a miss only if no answer was stored since (it may be this one's)
      json =
          line != null && line.looked && (line.cached != null || stored.get() == line.storedBefore)
              ? line.cached
              : get(s.key);
    } else {
      String[] r = recent == null ? null : recent.get(s.key);
      json = r == null ? null : r[0];
      duplicateOf = r == null ? null : r[1];
    }
    if (json == null) {
      return false;
    }
    ChatResult result = parse(json);
    if (result == null) {
      log.warn("response cache: the entry of {} is not a chat completion; sent again", s.key);
      return false;
    }
    if (validator != null && !valid(s.request, result)) {
      return false; // not what this job asks for (e.g. stored before a schema was given): send
    }
    if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
      json = compact(json); // one line of the output file
    }
    sink.reused(s.request, result, json, duplicateOf);
    return true;
  }

  private boolean valid(JobRequest r, ChatResult result) {
    try {
      List<String> problems = validator.validate(r.request(), result);
      return problems == null || problems.isEmpty();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private String get(String key) {
    try {
      return cache.get(key);
    } catch (RuntimeException e) {
      log.warn("response cache: cannot read an entry (sent again): {}", e.toString());
      return null;
    }
  }

  /** A stored chat completion as a result; null when it is not one. */
  static ChatResult parse(String json) {
    try {
      JsonNode root = Json.MAPPER.readTree(json);
      if (root == null
          || !root.isObject()
          || !root.path("choices").isArray()
          || root.path("choices").isEmpty()) {
        return null;
      }
      return WireFormat.readResult(root, null, Duration.ZERO);
    } catch (Exception e) {
      return null;
    }
  }

  private static String compact(String json) {
    try {
      return Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(json));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The prefix group of a request: a hash of its model and leading messages (all but the last) when
   * they hold at least {@link JobOrder#MIN_PREFIX_CHARS} characters; null otherwise.
   */
  static Long groupOf(ChatRequest r) {
    List<Message> m = r.messages();
    if (m.size() < 2) {
      return null;
    }
    List<Message> lead = m.subList(0, m.size() - 1);
    long chars = 0;
    for (Message x : lead) {
      chars += x.text().length();
    }
    if (chars < JobOrder.MIN_PREFIX_CHARS) {
      return null;
    }
    try {
      // the server caches prompt tokens: only the model and the leading messages matter
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(r.model().getBytes(StandardCharsets.UTF_8));
      for (Message x : lead) {
        md.update((byte) 0);
        md.update((byte) x.role().ordinal());
        md.update((byte) 0);
        md.update(x.text().getBytes(StandardCharsets.UTF_8));
      }
      byte[] d = md.digest();
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (d[i] & 0xff);
      }
      return h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
