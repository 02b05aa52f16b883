/**
 * API: batch processing: many chat requests run concurrently, as fast as the account's rate limits
 * allow and no faster, with progress, per-item errors, retries, and cost known before and after.
 *
 * <p>Entry points are the batch methods of {@link io.github.maritaca4j.ChatMaritaca} ({@code
 * batchAsync}, {@code batchWithProgress}, {@code estimateBatchCost}, {@code batch}); this package
 * holds their options ({@link io.github.maritaca4j.batch.BatchOptions}, {@link
 * io.github.maritaca4j.batch.RateLimits}), results ({@link io.github.maritaca4j.batch.BatchResult},
 * {@link io.github.maritaca4j.batch.BatchItem}, {@link io.github.maritaca4j.batch.BatchSummary})
 * and callbacks ({@link io.github.maritaca4j.batch.ProgressCallback}, {@link
 * io.github.maritaca4j.batch.BatchListener}, {@link io.github.maritaca4j.batch.BatchProgress}).
 *
 * <p>Admission of each request, in order: budget, client-side rate limiter (RPM / TPM-in / TPM-out
 * token buckets and the shared 429 pause), concurrency limit, then one HTTP attempt; a retryable
 * failure goes back to the queue. See {@code docs/batch.md}.
 */
package io.github.maritaca4j.batch;
