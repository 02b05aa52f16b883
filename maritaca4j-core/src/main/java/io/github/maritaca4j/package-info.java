/**
 * API: the client. {@link io.github.maritaca4j.ChatMaritaca} (built with {@link
 * io.github.maritaca4j.ChatMaritaca#builder()}) sends chat requests ({@link
 * io.github.maritaca4j.ChatRequest}, {@link io.github.maritaca4j.Message}, tools, response formats)
 * and returns {@link io.github.maritaca4j.ChatResult}s with usage and cost; it is also where
 * batches start. Failures are the exceptions of {@link io.github.maritaca4j.errors}. See {@code
 * docs/client.md}.
 */
package io.github.maritaca4j;
