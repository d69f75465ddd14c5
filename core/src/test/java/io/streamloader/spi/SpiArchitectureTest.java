package io.streamloader.spi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class SpiArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.streamloader");

    @Test
    void spiDependsOnlyOnJavaAndSlf4j() {
        classes()
                .that()
                .resideInAPackage("io.streamloader.spi..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "org.slf4j..", "io.streamloader.spi..")
                .because("the SPI is the only package plugins share with the host (DESIGN.md, STYLE.md rule 1)")
                .check(CORE);
    }

    @Test
    void spiHoldsOnlyInterfacesRecordsEnumsAndExceptions() {
        classes()
                .that()
                .resideInAPackage("io.streamloader.spi..")
                .and()
                .areTopLevelClasses()
                .should()
                .beInterfaces()
                .orShould()
                .beRecords()
                .orShould()
                .beEnums()
                .orShould()
                .beAssignableTo(RuntimeException.class)
                .orShould()
                .haveSimpleName("package-info")
                .check(CORE);
    }
}
