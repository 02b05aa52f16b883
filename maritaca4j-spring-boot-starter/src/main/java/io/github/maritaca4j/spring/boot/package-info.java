/**
 * Spring Boot auto-configuration for Maritaca's Sabiá models: {@link
 * io.github.maritaca4j.spring.boot.MaritacaAutoConfiguration} makes a maritaca4j {@code
 * ChatMaritaca} and a Spring AI {@code MaritacaChatModel} from the {@code spring.ai.maritaca.*}
 * properties ({@link io.github.maritaca4j.spring.boot.MaritacaProperties}).
 */
package io.github.maritaca4j.spring.boot;
