/**
 * Spring AI 2.0 for Maritaca's Sabiá models: {@link
 * io.github.maritaca4j.springai.MaritacaChatModel} (a {@code ChatModel} and {@code
 * StreamingChatModel} on maritaca4j's {@code ChatMaritaca}), its options {@link
 * io.github.maritaca4j.springai.MaritacaChatOptions}, and batches of Spring AI prompts through
 * maritaca4j's batch engine ({@link io.github.maritaca4j.springai.MaritacaBatchResult}).
 */
package io.github.maritaca4j.springai;
