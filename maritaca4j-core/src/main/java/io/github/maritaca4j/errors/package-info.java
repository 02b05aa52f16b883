/**
 * API: every exception this library defines, one tree rooted at {@link
 * io.github.maritaca4j.errors.MaritacaException} (unchecked): HTTP errors by status ({@link
 * io.github.maritaca4j.errors.ApiException} and its subclasses), timeouts, connection failures,
 * unreadable answers, budgets, configuration and JSONL jobs ({@link
 * io.github.maritaca4j.errors.JobException}). Invalid arguments are the JDK's {@link
 * java.lang.IllegalArgumentException} or {@link java.lang.NullPointerException}, thrown before
 * anything is sent. Futures fail with these exceptions wrapped in a {@link
 * java.util.concurrent.CompletionException}; {@link
 * io.github.maritaca4j.errors.MaritacaException#unwrap} takes the wrapping off. See {@code
 * docs/client.md}.
 */
package io.github.maritaca4j.errors;
