/**
 * API: a durable {@link io.github.maritaca4j.jobs.ResponseCache} for JSONL jobs in one SQLite file
 * ({@link io.github.maritaca4j.cache.SqliteResponseCache}), safe for several processes at once. See
 * {@code docs/cost.md}.
 */
package io.github.maritaca4j.cache;
