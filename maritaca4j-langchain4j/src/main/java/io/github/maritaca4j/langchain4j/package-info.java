/**
 * API: LangChain4j models on maritaca4j ({@link
 * io.github.maritaca4j.langchain4j.MaritacaChatModel}, {@link
 * io.github.maritaca4j.langchain4j.MaritacaStreamingChatModel}, {@link
 * io.github.maritaca4j.langchain4j.MaritacaBatchChatModel}) with batches on LangChain4j messages.
 * See {@code docs/langchain4j.md}.
 */
package io.github.maritaca4j.langchain4j;
