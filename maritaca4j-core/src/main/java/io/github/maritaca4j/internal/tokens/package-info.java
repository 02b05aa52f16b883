/**
 * Internal: token counting (the Sabiá BPE and the estimator behind {@link
 * io.github.maritaca4j.cost.TokenCounter}). Not API.
 */
package io.github.maritaca4j.internal.tokens;
