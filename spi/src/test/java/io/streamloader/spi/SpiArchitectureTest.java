package io.streamloader.spi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
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

    /**
     * Value types are records, except {@link Event}: a record cannot keep the consumer's buffers while its accessors
     * return byte arrays, so it is a final class of final fields (checked below) to stay as immutable as one.
     */
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
                .orShould()
                .haveFullyQualifiedName(Event.class.getName())
                .check(CORE);
    }

    @Test
    void eventIsAFinalClassOfFinalFields() {
        classes()
                .that()
                .haveFullyQualifiedName(Event.class.getName())
                .should()
                .haveModifier(JavaModifier.FINAL)
                .check(CORE);
        fields().that().areDeclaredIn(Event.class).should().beFinal().check(CORE);
    }
}
