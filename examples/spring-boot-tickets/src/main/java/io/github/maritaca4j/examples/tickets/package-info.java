/** Example: classifying support tickets with Sabiá in a Spring Boot application. */
package io.github.maritaca4j.examples.tickets;
