package io.github.maritaca4j.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The line between core's API and its internals holds here: nothing in this module uses {@code
 * io.github.maritaca4j.internal} (or the simulator's internals). What a module needs from core is
 * public API.
 */
class BoundariesTest {
  @Test
  void usesNoInternalPackageOfAnotherModule() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.github.maritaca4j.cli");
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.github.maritaca4j.internal..", "io.github.maritaca4j.simulator.internal..")
        .because("other modules use core's and the simulator's public API only (issue 14)")
        .check(classes);
  }
}
