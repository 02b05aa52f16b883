package io.github.maritaca4j.batch;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.ChatResult;
import io.github.maritaca4j.Message;
import io.github.maritaca4j.cost.CostEstimate;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Every example of the Python guide ({@code seed/batch-processing.md}) in Java, as {@code
 * docs/batch.md} shows them. {@link SeedExamplesTest} runs each against the simulator. Output goes
 * to {@link #out} so that tests can capture it.
 */
final class SeedExamples {
  private SeedExamples() {}

  static PrintStream out = System.out;

  // ---- Async batch processing: abatch_with_concurrency(inputs, max_concurrency=3)
  static List<ChatResult> asyncBatch(ChatMaritaca model) {
    // Multiple questions to process
    List<List<Message>> inputs =
        List.of(
            List.of(Message.user("What is the capital of Brazil?")),
            List.of(Message.user("What is the capital of Argentina?")),
            List.of(Message.user("What is the capital of Chile?")),
            List.of(Message.user("What is the capital of Peru?")),
            List.of(Message.user("What is the capital of Colombia?")));

    // Process with max 3 concurrent requests
    List<ChatResult> results = model.batchAsync(inputs, 3).join();

    for (ChatResult result : results) {
      out.println(result.content());
    }
    return results;
  }

  // ---- Concurrency control
  static void concurrencyControl(ChatMaritaca model, List<List<Message>> inputs) {
    // Conservative: 2 concurrent requests
    List<ChatResult> conservative = model.batchAsync(inputs, 2).join();

    // Aggressive: 10 concurrent requests (may hit rate limits: the engine then slows the whole
    // batch down instead of failing; give RateLimits to avoid the 429s altogether)
    List<ChatResult> aggressive = model.batchAsync(inputs, 10).join();

    out.println(conservative.size() + " and " + aggressive.size() + " results");
  }

  // ---- Error handling: return_exceptions=True
  static BatchResult errorHandling(ChatMaritaca model, List<List<Message>> inputs) {
    BatchResult results =
        model
            .batchAsync(
                inputs,
                BatchOptions.builder()
                    .maxConcurrency(5)
                    .returnExceptions(true) // Don't fail on individual errors
                    .build())
            .join();

    for (BatchItem item : results) {
      if (!item.isSuccess()) {
        out.println("Request " + item.index() + " failed: " + item.error().getMessage());
      } else {
        out.println("Request " + item.index() + ": " + item.result().content());
      }
    }
    return results;
  }

  // ---- Batch with progress tracking: batch_with_progress(inputs, max_concurrency=3, callback)
  static List<ChatResult> batchWithProgress(ChatMaritaca model) {
    ProgressCallback onProgress =
        (completed, total, result) ->
            out.printf("Progress: %d/%d (%.0f%%)%n", completed, total, 100.0 * completed / total);

    List<List<Message>> inputs =
        IntStream.range(0, 20).mapToObj(i -> List.of(Message.user("Question " + i))).toList();

    return model.batchWithProgress(inputs, 3, onProgress);
  }

  // ---- Progress callback: the result of the just-completed request
  static final ProgressCallback DETAILED_PROGRESS =
      (completed, total, result) -> {
        String content = result.content().substring(0, Math.min(50, result.content().length()));
        out.printf("[%d/%d] Received: %s...%n", completed, total, content);
      };

  // ---- Cost estimation: abatch_estimate_cost(inputs, max_output_tokens=500)
  static CostEstimate costEstimation(ChatMaritaca model) {
    List<List<Message>> inputs =
        List.of(
            List.of(Message.user("Short question")),
            List.of(Message.user("Another question")),
            List.of(Message.user("Third question")));

    CostEstimate estimate = model.estimateBatchCost(inputs, 500); // Expected output per request

    out.println("Total requests: " + estimate.totalRequests());
    out.println("Estimated input tokens: " + estimate.totalInputTokens());
    out.println("Estimated output tokens: " + estimate.totalOutputTokens());
    out.printf("Estimated cost: R$ %.6f%n", estimate.totalCost());
    return estimate;
  }

  // ---- Cost planning: check cost before processing a large batch
  static List<ChatResult> costPlanning(
      ChatMaritaca model, List<List<Message>> inputs, BooleanSupplier userSaysYes) {
    CostEstimate estimate = model.estimateBatchCost(inputs);
    if (estimate.totalCost().compareTo(new BigDecimal("1.00")) > 0) { // Budget limit
      out.println("Warning: Batch cost exceeds R$ 1.00");
      out.print("Continue? (y/n): ");
      if (!userSaysYes.getAsBoolean()) {
        return List.of();
      }
    }
    return model.batchAsync(inputs, BatchOptions.DEFAULT_MAX_CONCURRENCY).join();
  }

  // ---- Best practice 1: choose appropriate concurrency
  static void chooseConcurrency(ChatMaritaca model, List<List<Message>> inputs) {
    // For rate-limited APIs
    List<ChatResult> slow = model.batchAsync(inputs, 2).join();

    // For high-throughput APIs
    List<ChatResult> fast = model.batchAsync(inputs, 10).join();

    // Better in Java: say what the limits are and let the engine pace the batch
    BatchResult paced =
        model
            .batchAsync(
                inputs,
                BatchOptions.builder()
                    .maxConcurrency(10)
                    .rateLimits(RateLimits.tier(2, "sabia-4"))
                    .build())
            .join();
    out.println(slow.size() + " " + fast.size() + " " + paced.size());
  }

  // ---- Best practice 2: handle failures gracefully (safe_batch)
  static CompletableFuture<List<ChatResult>> safeBatch(
      ChatMaritaca model, List<List<Message>> inputs) {
    return model
        .batchAsync(inputs, BatchOptions.builder().returnExceptions(true).build())
        .thenCompose(
            results -> {
              List<ChatResult> successful = new ArrayList<>();
              List<BatchItem> failed = new ArrayList<>();
              for (BatchItem item : results) {
                if (item.isSuccess()) {
                  successful.add(item.result());
                } else {
                  failed.add(item);
                }
              }

              // Retry failed requests
              if (failed.isEmpty()) {
                return CompletableFuture.completedFuture(successful);
              }
              List<List<Message>> retryInputs =
                  failed.stream().map(item -> inputs.get(item.index())).toList();
              return model
                  .batchAsync(retryInputs, 1) // Slower, more reliable
                  .thenApply(
                      retryResults -> {
                        successful.addAll(retryResults);
                        return successful;
                      });
            });
  }

  // ---- Best practice 3: combine with cost estimation (batch_with_budget)
  static CompletableFuture<List<ChatResult>> batchWithBudget(
      ChatMaritaca model, List<List<Message>> inputs, BigDecimal maxCost) {
    CostEstimate estimate = model.estimateBatchCost(inputs);

    if (estimate.totalCost().compareTo(maxCost) > 0) {
      throw new IllegalArgumentException(
          String.format("Batch cost R$ %.4f exceeds budget R$ %s", estimate.totalCost(), maxCost));
    }

    return model.batchAsync(inputs, BatchOptions.DEFAULT_MAX_CONCURRENCY);
  }

  // ---- ...and the Java form with a hard cap: real spend never exceeds the budget
  static BatchResult batchWithHardBudget(
      ChatMaritaca model, List<List<Message>> inputs, BigDecimal maxCost) {
    return model
        .batchAsync(inputs, BatchOptions.builder().budget(maxCost).returnExceptions(true).build())
        .join();
  }
}
