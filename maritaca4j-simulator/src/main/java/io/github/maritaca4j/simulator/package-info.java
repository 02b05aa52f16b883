/**
 * API: a local Maritaca-compatible server for tests and demos ({@link
 * io.github.maritaca4j.simulator.MaritacaSimulator}) with real rate limits, latency and faults. See
 * {@code docs/simulator.md}.
 */
package io.github.maritaca4j.simulator;
