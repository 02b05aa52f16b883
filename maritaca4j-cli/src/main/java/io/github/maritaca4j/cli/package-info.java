/**
 * The {@code maritaca} command (picocli). An application, not a library: its classes are not API.
 * See {@code docs/cli.md}.
 */
package io.github.maritaca4j.cli;
