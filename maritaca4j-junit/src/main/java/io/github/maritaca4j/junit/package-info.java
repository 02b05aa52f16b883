/**
 * JUnit 5 support for testing against the Maritaca simulator: {@link
 * io.github.maritaca4j.junit.MaritacaSimulatorExtension} starts a {@link
 * io.github.maritaca4j.simulator.MaritacaSimulator} per test class or per test and injects it. See
 * {@code docs/testing.md}.
 */
package io.github.maritaca4j.junit;
