package io.streamloader.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test arrows of our modules point down or into the kit: a sink, rollup or any other module tests against its
 * upstream, streamloader-test-kit and devstack only (a plugin also inside core, the host that loads it); tests needing
 * more live here. No module builds or takes a test-jar but the SPI's plugin rules.
 */
class ModuleGraphTest {
    /** The reactor this module belongs to: surefire runs in the module's directory. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private final ModuleGraph graph = ModuleGraph.read(ROOT);

    @Test
    void readsTheWholeReactor() {
        assertThat(graph.modules())
                .containsKeys(
                        "streamloader-spi",
                        "streamloader-core",
                        "streamloader-test-kit",
                        "streamloader-sink-mongo",
                        "streamloader-sink-elasticsearch",
                        "streamloader-sink-postgres-minio",
                        "streamloader-rollup",
                        "streamloader-end-to-end");
        assertThat(graph.upstream("streamloader-sink-mongo"))
                .as("a plugin's upstream includes what its parent gives it")
                .containsExactlyInAnyOrder("streamloader-spi", "streamloader-sink-support");
    }

    @Test
    void noModuleTestsAgainstAModuleBesideIt() {
        assertThat(graph.sidewaysTestDependencies()).isEmpty();
    }

    @Test
    void noTestJarButThePluginRules() {
        assertThat(graph.testJars()).isEmpty();
    }

    @Test
    void theKitNeedsNothingOfOursButTheSpi() {
        // so core's own tests can use it (core -> test-kit -> core would be a cycle), and nothing it gives a test
        // path pulls in the host
        assertThat(graph.upstream("streamloader-test-kit")).containsExactly("streamloader-spi");
    }

    @Test
    void reportsASinkTestingSidewaysOrThroughATestJar(@TempDir Path dir) throws IOException {
        pom(
                dir,
                "",
                "parent",
                "",
                "<modules><module>spi</module><module>core</module><module>plugin-parent</module>"
                        + "<module>api</module><module>sink-x</module><module>rollup</module></modules>");
        pom(dir, "spi", "streamloader-spi", "parent", "");
        pom(dir, "core", "streamloader-core", "parent", deps(dep("streamloader-spi", "compile", "")));
        pom(
                dir,
                "plugin-parent",
                "streamloader-plugin-parent",
                "parent",
                deps(dep("streamloader-spi", "provided", ""), dep("streamloader-spi", "test", "test-jar")));
        pom(dir, "api", "streamloader-producer-api", "parent", deps(dep("streamloader-core", "compile", "")));
        pom(
                dir,
                "sink-x",
                "streamloader-sink-x",
                "streamloader-plugin-parent",
                deps(
                        dep("streamloader-core", "test", ""),
                        dep("streamloader-test-kit", "test", ""),
                        dep("streamloader-producer-api", "test", ""),
                        dep("streamloader-core", "test", "test-jar")));
        pom(
                dir,
                "rollup",
                "streamloader-rollup",
                "parent",
                deps(dep("streamloader-core", "compile", ""), dep("streamloader-sink-x", "test", "")));

        ModuleGraph fake = ModuleGraph.read(dir);

        assertThat(fake.sidewaysTestDependencies())
                .containsExactlyInAnyOrder(
                        "streamloader-sink-x tests against streamloader-producer-api, which is not upstream of it:"
                                + " move the test to end-to-end",
                        "streamloader-rollup tests against streamloader-sink-x, which is not upstream of it:"
                                + " move the test to end-to-end");
        assertThat(fake.testJars())
                .containsExactly(
                        "streamloader-sink-x takes the test-jar of streamloader-core: use streamloader-test-kit");
    }

    @Test
    void reportsAModuleBuildingATestJar(@TempDir Path dir) throws IOException {
        pom(dir, "", "parent", "", "<modules><module>core</module></modules>");
        pom(
                dir,
                "core",
                "streamloader-core",
                "parent",
                "<build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><executions><execution><goals>"
                        + "<goal>test-jar</goal></goals></execution></executions></plugin></plugins></build>");

        assertThat(ModuleGraph.read(dir).testJars())
                .containsExactly("streamloader-core builds a test-jar: put shared fixtures in streamloader-test-kit");
    }

    private static String deps(String... deps) {
        return "<dependencies>" + String.join("", deps) + "</dependencies>";
    }

    private static String dep(String artifactId, String scope, String type) {
        return "<dependency><groupId>io.streamloader</groupId><artifactId>" + artifactId + "</artifactId>"
                + (type.isEmpty() ? "" : "<type>" + type + "</type>") + "<scope>" + scope + "</scope></dependency>";
    }

    private static void pom(Path root, String dir, String artifactId, String parent, String body) throws IOException {
        String parentXml = parent.isEmpty()
                ? ""
                : "<parent><groupId>io.streamloader</groupId><artifactId>" + parent + "</artifactId></parent>";
        Files.writeString(
                Files.createDirectories(root.resolve(dir)).resolve("pom.xml"),
                "<project>" + parentXml + "<artifactId>" + artifactId + "</artifactId>" + body + "</project>",
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
