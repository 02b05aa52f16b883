/**
 * API: Maritaca's Batch API (half price, results within 24 hours) at the level of its endpoints:
 * files, batches and result lines ({@link io.github.maritaca4j.batchapi.BatchApiClient}, {@link
 * io.github.maritaca4j.batchapi.ResultLine}). Most users run whole JSONL files through {@link
 * io.github.maritaca4j.jobs.BatchApiJob} instead. See {@code docs/cli.md} (batch submit).
 */
package io.github.maritaca4j.batchapi;
