package io.streamloader.sink.postgres;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A plugin sees only the SPI from the host: never the core's internals. */
class ModuleBoundaryTest {
    @Test
    void sinkDependsOnTheSpiOnlyNotOnCoreInternals() {
        noClasses()
                .that()
                .resideInAPackage("io.streamloader.sink.postgres..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.streamloader.core..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.streamloader.sink.postgres"));
    }
}
