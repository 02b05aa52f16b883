package io.github.maritaca4j.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The line between core's API and its internals: every module other than core checks with {@link
 * #assertUsesNoInternals} that its main classes use neither {@code io.github.maritaca4j.internal}
 * nor the simulator's internals. What a module needs from core is public API (issue 14).
 */
public final class Boundaries {
  private Boundaries() {}

  /** Fails when a main class under {@code rootPackage} depends on another module's internals. */
  public static void assertUsesNoInternals(String rootPackage) {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(rootPackage);
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.github.maritaca4j.internal..", "io.github.maritaca4j.simulator.internal..")
        .because("other modules use core's and the simulator's public API only")
        .check(classes);
  }
}
