/**
 * API: validated structured output: {@link io.github.maritaca4j.jsonschema.JsonSchemaValidator}, a
 * {@link io.github.maritaca4j.batch.ResponseValidator} that parses each answer as JSON and checks
 * it against a JSON Schema (networknt's json-schema-validator). See {@code docs/batch.md}.
 */
package io.github.maritaca4j.jsonschema;
