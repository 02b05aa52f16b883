/**
 * API: durable JSONL jobs. A file of requests in the Batch API's input format runs in real time
 * through the batch engine ({@link io.github.maritaca4j.jobs.JsonlJob}) or on Maritaca's Batch API
 * ({@link io.github.maritaca4j.jobs.BatchApiJob}); either resumes after any interruption without
 * sending a finished request again. See {@code docs/cli.md}, which documents the file formats.
 *
 * <p>Public here is what those two take and return: {@link io.github.maritaca4j.jobs.JobFiles},
 * {@link io.github.maritaca4j.jobs.JobShard} (one of N parts of an input, for N machines), {@link
 * io.github.maritaca4j.jobs.JobPlan} (with its {@link io.github.maritaca4j.jobs.InputReport} and
 * {@link io.github.maritaca4j.jobs.ResultFileScan}s), {@link io.github.maritaca4j.jobs.JobSummary},
 * the listeners, {@link io.github.maritaca4j.jobs.BatchApiJobState}, {@link
 * io.github.maritaca4j.jobs.BatchApiResults} and the like; and the planner that compares the ways
 * to run a job ({@link io.github.maritaca4j.jobs.JobPlanner}, with {@link
 * io.github.maritaca4j.jobs.JobProfile}, {@link io.github.maritaca4j.jobs.JobPlannerResult}, {@link
 * io.github.maritaca4j.jobs.WayEstimate}, {@link io.github.maritaca4j.jobs.BatchApiQuota}) and the
 * off-peak window arithmetic and scheduler ({@link io.github.maritaca4j.jobs.OffPeakWindow}, {@link
 * io.github.maritaca4j.jobs.OffPeakScheduler}). The parsing, scanning and file-writing behind them
 * is package-private; a result line is read with {@link io.github.maritaca4j.batchapi.ResultLine},
 * the one rule for what is a success.
 */
package io.github.maritaca4j.jobs;
