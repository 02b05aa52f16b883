/**
 * The benchmarks: maritaca4j (its batch engine, its single calls and its Spring AI {@code
 * ChatModel}) beside LangChain4j, openai-java and Spring AI's OpenAI provider on the simulator. Not
 * API. See {@code BENCHMARKS.md}.
 */
package io.github.maritaca4j.bench;
