/** Internal: the simulator's HTTP handling, generators and limiters. Not API. */
package io.github.maritaca4j.simulator.internal;
