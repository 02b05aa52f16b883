/**
 * Internal: the batch engine behind {@code ChatMaritaca}'s batch methods (admission, rate state,
 * budget, callbacks). Not API. Its design is {@code docs/adr/0001-batch-admission.md}.
 */
package io.github.maritaca4j.internal.batch;
