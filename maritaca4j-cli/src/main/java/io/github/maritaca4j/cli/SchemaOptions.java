package io.github.maritaca4j.cli;

import io.github.maritaca4j.ChatMaritaca;
import io.github.maritaca4j.batch.BatchOptions;
import io.github.maritaca4j.errors.JobException;
import io.github.maritaca4j.jsonschema.JsonSchemaValidator;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Validated structured output in {@code batch run}: {@code --json-schema FILE} and {@code
 * --max-repairs N}. Lines with their own {@code response_format} of type {@code json_schema} are
 * validated against it in any case.
 */
final class SchemaOptions {
  @Option(
      names = "--json-schema",
      paramLabel = "FILE",
      description =
          "Ask every line without its own response_format for JSON following this JSON Schema,"
              + " and check every answer: one that is not valid is asked again (--max-repairs)"
              + " with the problems; still invalid, it goes to the errors file with them. Lines"
              + " with their own json_schema response_format are checked against theirs.")
  Path file;

  @Option(
      names = "--max-repairs",
      paramLabel = "N",
      description =
          "How many times an answer that fails its JSON Schema is asked again (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "" + BatchOptions.DEFAULT_MAX_REPAIRS)
  int maxRepairs;

  private JsonSchemaValidator validator;

  /** Reads and checks the schema file: a bad one stops the command before anything is sent. */
  void load() {
    if (maxRepairs < 0) {
      throw new CliException(ExitCodes.USAGE, "--max-repairs must not be negative");
    }
    if (file == null) {
      validator = JsonSchemaValidator.forRequests();
      return;
    }
    try {
      validator = JsonSchemaValidator.of(file);
    } catch (JobException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage() + "; nothing was sent");
    }
  }

  /** Asks for the schema's JSON by default (lines with their own response_format keep it). */
  void apply(ChatMaritaca.Builder b) {
    if (file != null) {
      b.responseFormat(validator.responseFormat());
    }
  }

  /** Checks every answer. */
  BatchOptions.Builder apply(BatchOptions.Builder o) {
    return o.validator(validator).maxRepairs(maxRepairs);
  }
}
