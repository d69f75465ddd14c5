package io.streamloader.sink.mongo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** A plugin sees only io.streamloader.spi from the host; core's internals are not on its classpath at run time. */
@AnalyzeClasses(packages = "io.streamloader.sink.mongo", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule sinkUsesTheSpiOnly = noClasses()
            .that()
            .resideInAPackage("io.streamloader.sink.mongo..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.streamloader.core..")
            .because("plugins are loaded in their own classloader that shares only io.streamloader.spi and org.slf4j");
}
