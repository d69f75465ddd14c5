package io.streamloader.sink.elasticsearch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    /** A plugin sees only io.streamloader.spi from the host; core's internals are not on its classpath at runtime. */
    @Test
    void theSinkDependsOnTheSpiNotOnCore() {
        noClasses()
                .that()
                .resideInAPackage("io.streamloader.sink.elasticsearch..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.streamloader.core..")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.streamloader.sink.elasticsearch"));
    }
}
