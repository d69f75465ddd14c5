package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.testing.TestingKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds examples/sink-jsonl as a third party builds a sink: its pom and sources copied out of the reactor, built by
 * its own Maven against a fresh local repository that holds only what we publish for plugin authors (the parent POMs,
 * streamloader-spi and its rule test-jar, streamloader-sink-support), installed there by this test. Everything else
 * (Maven plugins, jackson-core, JUnit) is read from ~/.m2 as a read-only tail repository, offline; nothing is written
 * to ~/.m2. The plugin directory it leaves is then checked by {@code plugins verify} and run by {@code run}.
 */
class ThirdPartySinkBuildIT {
    private static final Path ROOT =
            Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();
    private static final Path USER_REPOSITORY = Path.of(System.getProperty("user.home"), ".m2", "repository");

    @TempDir
    Path dir;

    @Test
    void theExampleBuiltAgainstTheInstalledSpiIsVerifiedAndRuns() throws Exception {
        String version = spiVersion();
        Path repository = dir.resolve("repository");
        install(repository, "streamloader-parent", version, ROOT.resolve("pom.xml"), null, null);
        install(repository, "streamloader-plugin-parent", version, ROOT.resolve("plugin-parent/pom.xml"), null, null);
        Path spi = ROOT.resolve("spi/target");
        install(
                repository,
                "streamloader-spi",
                version,
                ROOT.resolve("spi/pom.xml"),
                spi.resolve("streamloader-spi-" + version + ".jar"),
                spi.resolve("streamloader-spi-" + version + "-tests.jar"));
        install(
                repository,
                "streamloader-sink-support",
                version,
                ROOT.resolve("sink-support/pom.xml"),
                ROOT.resolve("sink-support/target/streamloader-sink-support-" + version + ".jar"),
                null);

        Path project = dir.resolve("sink-jsonl");
        copyTree(ROOT.resolve("examples/sink-jsonl/pom.xml"), project.resolve("pom.xml"));
        copyTree(ROOT.resolve("examples/sink-jsonl/src"), project.resolve("src"));
        Path buildLog = dir.resolve("build.log");
        Path ours = dir.resolve("ours.txt");
        Process build = new ProcessBuilder(
                        ROOT.resolve("mvnw").toString(),
                        "-B",
                        "-o",
                        "-f",
                        project.resolve("pom.xml").toString(),
                        "-Dmaven.repo.local=" + repository,
                        "-Dmaven.repo.local.tail=" + USER_REPOSITORY,
                        "package",
                        "dependency:list", // not -DincludeGroupIds: copy-dependencies would read it too
                        "-DoutputFile=" + ours)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(buildLog.toFile())
                .start();
        assertThat(build.waitFor(5, TimeUnit.MINUTES)).as("the build ends").isTrue();
        assertThat(build.exitValue())
                .as("mvn package of the copied example; build.log:\n%s", Files.readString(buildLog))
                .isZero();
        assertThat(Files.readString(buildLog))
                .as("the plugin architecture rule from streamloader-spi's test-jar ran in the third party's build")
                .contains("PluginArchitectureTest");

        // of ours, the build resolved the SPI (provided, with its rule test-jar) and the bundled helpers only
        assertThat(Files.readAllLines(ours).stream()
                        .map(line -> line.split(" -- ")[0].strip()) // "... -- module streamloader.spi (auto)"
                        .filter(line -> line.startsWith("io.streamloader:")))
                .containsExactlyInAnyOrder(
                        "io.streamloader:streamloader-spi:jar:" + version + ":provided",
                        "io.streamloader:streamloader-spi:test-jar:tests:" + version + ":test",
                        "io.streamloader:streamloader-sink-support:jar:" + version + ":compile");

        Path built = project.resolve("target/plugin/jsonl");
        List<String> jars = list(built);
        assertThat(jars)
                .as("%s; build.log:%n%s", built, Files.readString(buildLog))
                .anyMatch(j -> j.startsWith("streamloader-example-sink-jsonl-"))
                .anyMatch(j -> j.startsWith("streamloader-sink-support-"))
                .anyMatch(j -> j.startsWith("jackson-core-"))
                .noneMatch(j -> j.startsWith("streamloader-spi") || j.startsWith("streamloader-core"))
                .noneMatch(j -> j.startsWith("slf4j-api") || j.startsWith("junit") || j.startsWith("archunit"));

        Path plugins = dir.resolve("plugins");
        copyTree(built, plugins.resolve("jsonl"));
        CliTesting cli = new CliTesting();
        assertThat(cli.run("plugins", "verify", plugins.toString()))
                .as(cli.err.toString())
                .isZero();
        assertThat(cli.out.toString()).contains("jsonl").contains("streamloader-example-sink-jsonl-");

        runs(plugins);
    }

    /** {@code run} with {@code type: jsonl} stores every event of a topic in its partition's file. */
    private void runs(Path plugins) throws Exception {
        KafkaService kafka = DevStack.kafka();
        String topic = "third-party-" + System.nanoTime();
        kafka.createTopic(topic, 1);
        kafka.createTopic(topic + ".dlq", 1);
        int adminPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            adminPort = probe.getLocalPort();
        }
        Path out = dir.resolve("out");
        Path config = dir.resolve("streamloader.yaml");
        Files.writeString(config, """
                kafka:
                  bootstrap-servers: ${BOOTSTRAP}
                topics:
                  %1$s: { partitions: 1 }
                plugins:
                  dir: %2$s
                admin:
                  host: 127.0.0.1
                  port: %4$d
                sinks:
                  files:
                    type: jsonl
                    topics: [%1$s]
                    group-id: third-party-%1$s
                    config:
                      dir: %3$s
                """.formatted(topic, plugins, out, adminPort));
        TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
        testing.produce(topic, "e-", 20, i -> "{\"i\": " + i + "}");
        Path log = dir.resolve("run.log");
        Process process = TestingRunProcess.start(config, log, "256m", Map.of("BOOTSTRAP", kafka.bootstrapServers()));
        Path file = out.resolve(topic).resolve("0.jsonl");
        try {
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> testing.committedTotal("third-party-" + topic, topic) == 20);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nrun.log:\n" + Files.readString(log), e);
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(20);
        assertThat(lines.getFirst()).startsWith("{\"id\":\"e-0\",\"topic\":\"" + topic + "\",\"partition\":0,");
        assertThat(testing.endTotal(topic + ".dlq")).isZero();
    }

    /** The version the reactor built, from spi/target/streamloader-spi-VERSION.jar. */
    private static String spiVersion() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("spi/target"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("streamloader-spi-.+\\.jar") && !n.endsWith("-tests.jar"))
                    .map(n -> n.substring("streamloader-spi-".length(), n.length() - ".jar".length()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(
                            "spi/target holds no streamloader-spi jar; build with ./mvnw -B -pl launcher -am verify"));
        }
    }

    /** What {@code mvn install} leaves in a local repository: the pom, the jar and the tests jar under G/A/V. */
    private static void install(Path repository, String artifact, String version, Path pom, Path jar, Path testJar)
            throws IOException {
        Path target = repository.resolve("io/streamloader").resolve(artifact).resolve(version);
        Files.createDirectories(target);
        Files.copy(pom, target.resolve(artifact + "-" + version + ".pom"));
        if (jar != null) {
            Files.copy(jar, target.resolve(artifact + "-" + version + ".jar"));
        }
        if (testJar != null) {
            Files.copy(testJar, target.resolve(artifact + "-" + version + "-tests.jar"));
        }
    }

    private static List<String> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(from)) {
            walk.forEach(paths::add);
        }
        for (Path path : paths) {
            Path copy = to.resolve(from.relativize(path).toString());
            try {
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.createDirectories(copy.getParent());
                    Files.copy(path, copy);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
