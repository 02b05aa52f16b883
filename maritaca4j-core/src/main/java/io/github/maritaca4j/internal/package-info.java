/**
 * Internal: transport, wire format, retries, clocks. Not API: it changes without notice, and no
 * other module uses it (the build checks). Users need nothing here.
 */
package io.github.maritaca4j.internal;
