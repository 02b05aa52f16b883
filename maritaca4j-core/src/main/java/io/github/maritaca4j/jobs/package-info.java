/**
 * API: durable JSONL jobs. A file of requests in the Batch API's input format runs in real time
 * through the batch engine ({@link io.github.maritaca4j.jobs.JsonlJob}) or on Maritaca's Batch API
 * ({@link io.github.maritaca4j.jobs.BatchApiJob}); either resumes after any interruption without
 * sending a finished request again. See {@code docs/cli.md}, which documents the file formats.
 */
package io.github.maritaca4j.jobs;
