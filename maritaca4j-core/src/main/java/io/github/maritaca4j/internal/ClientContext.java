package io.github.maritaca4j.internal;

import io.github.maritaca4j.ChatRequest;
import io.github.maritaca4j.cost.CostEstimator;
import io.github.maritaca4j.cost.PriceTable;
import io.github.maritaca4j.cost.TokenCounter;
import java.util.concurrent.Executor;

/**
 * Everything a {@link io.github.maritaca4j.ChatMaritaca} shares with the batch engine and other
 * internal parts. Internal API; all members are thread-safe.
 *
 * @param sender one HTTP attempt, no retries
 * @param retryPolicy which failures to retry and how long to wait
 * @param clock time, timers and randomness
 * @param executor where callbacks and follow-up work run
 * @param prices the price table (BRL)
 * @param tokenCounter counts prompt tokens for estimates and rate-limit reservations
 * @param estimator cost estimates and worst-case reservations
 * @param defaults the model's default request parameters (no messages)
 * @param transport the HTTP transport (for endpoints other than chat)
 * @param admission the account's lanes, with this client's configured limits
 * @param events the client's {@link io.github.maritaca4j.ChatListener}s
 */
public record ClientContext(
    ChatSender sender,
    RetryPolicy retryPolicy,
    Clock clock,
    Executor executor,
    PriceTable prices,
    TokenCounter tokenCounter,
    CostEstimator estimator,
    ChatRequest defaults,
    HttpTransport transport,
    io.github.maritaca4j.internal.batch.Admission admission,
    ChatEvents events) {}
