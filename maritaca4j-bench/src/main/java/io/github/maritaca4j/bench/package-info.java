/**
 * The benchmarks: maritaca4j beside LangChain4j and openai-java on the simulator. Not API. See
 * {@code BENCHMARKS.md}.
 */
package io.github.maritaca4j.bench;
