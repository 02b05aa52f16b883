package io.github.maritaca4j.batch;

import io.github.maritaca4j.ChatRequest;
import java.util.Iterator;

/**
 * The requests of a streaming batch ({@link io.github.maritaca4j.ChatMaritaca#batch(Iterator, int,
 * BatchOptions)}) when some of them must wait for answers of others: an iterator that may have more
 * requests without having one ready now. A JSONL job uses it to hold back the requests that share a
 * prompt prefix with one in flight until that one is answered (so that they hit the server's prompt
 * cache), and to send identical requests once.
 *
 * <p>The batch asks {@link #hasNext()} first: {@code false} means no request will ever come again
 * (the batch ends once those in flight have finished). When it is {@code true}, the batch asks
 * {@link #ready()}: {@code false} means "none now", and the batch waits, without a thread, until
 * the feed calls the wake-up it was given through {@link #onReady(Runnable)}. A feed whose {@code
 * hasNext()} is {@code true} must call that wake-up once a request is ready (typically when an
 * answer it waits for arrived): a feed that never does leaves the batch waiting forever.
 *
 * <p>The batch calls {@code hasNext}, {@code ready} and {@code next} under its own lock, one at a
 * time: they must not block. The wake-up may be called from any thread, at any time, any number of
 * times (also from inside those methods); it hands the work to the client's executor. Call it after
 * releasing the feed's own locks.
 */
public interface RequestFeed extends Iterator<ChatRequest> {

  /** Whether {@link #next()} can deliver a request now; asked only after {@code hasNext()}. */
  boolean ready();

  /** Called once, when the batch starts, with the wake-up to call when a request becomes ready. */
  void onReady(Runnable wakeUp);
}
