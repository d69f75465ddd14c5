package io.streamloader.spi.rules;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one architecture rule set of a sink plugin. It lives in streamloader-spi's test-jar, and streamloader-plugin-parent
 * runs it in every module built on it (surefire {@code dependenciesToScan}) against that module's main classes, named
 * by the system property {@value #CLASSES}. A plugin is loaded in a classloader that shares only {@code
 * io.streamloader.spi} and {@code org.slf4j} with the host, so any other class of ours it uses must be bundled (the
 * sink-support helpers) and it must not put classes into the host's packages.
 */
class PluginArchitectureTest {
    static final String CLASSES = "streamloader.plugin.classes";

    /** Ours a plugin may use: the SPI the host shares and the helpers a plugin bundles. */
    static final String[] ALLOWED = {"io.streamloader.spi..", "io.streamloader.sink.support.."};

    private static JavaClasses plugin;

    @BeforeAll
    static void importThePluginsClasses() {
        String dir = System.getProperty(CLASSES);
        Assumptions.assumeTrue(dir != null, CLASSES + " is set by streamloader-plugin-parent only");
        assertThat(Path.of(dir)).as("the plugin's compiled classes").isDirectory();
        plugin = new ClassFileImporter().importPath(Path.of(dir));
        assertThat(plugin).as("classes under " + dir).isNotEmpty();
    }

    @Test
    void usesNoClassOfOursButTheSpiAndSinkSupport() {
        DescribedPredicate<JavaClass> hostInternal = resideInAPackage("io.streamloader..")
                .and(DescribedPredicate.not(resideInAnyPackage(ALLOWED)))
                .and(DescribedPredicate.not(resideInAnyPackage(ownPackages())))
                .as("are streamloader classes other than io.streamloader.spi and io.streamloader.sink.support");
        noClasses()
                .should()
                .dependOnClassesThat(hostInternal)
                .because("a plugin's classloader shares only io.streamloader.spi and org.slf4j with the host")
                .allowEmptyShould(true)
                .check(plugin);
    }

    @Test
    void putsNoClassIntoTheHostsPackages() {
        noClasses()
                .should()
                .resideInAnyPackage("io.streamloader.spi..", "io.streamloader.core..")
                .because("the host's packages win over a plugin's: such a class would never be loaded from the plugin")
                .allowEmptyShould(true)
                .check(plugin);
    }

    private static String[] ownPackages() {
        return plugin.stream()
                .map(JavaClass::getPackageName)
                .filter(p -> !p.startsWith("io.streamloader.core") && !p.startsWith("io.streamloader.spi"))
                .distinct()
                .toArray(String[]::new);
    }
}
