package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.testing.TestingPluginJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that print a result, run as the distribution runs them (a separate JVM with the distribution's
 * logback.xml): stdout holds the result alone, parsed line by line; logs go to stderr, and none at the default level.
 */
class CliOutputTest {
    private static final String LOG_LINE = "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO |WARN |ERROR) .*";

    @TempDir
    Path dir;

    private java.util.Map<String, String> env = java.util.Map.of();

    private record Result(int code, List<String> out, List<String> err) {}

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-Dlogback.configurationFile=logback.xml", // the distribution's, not the tests' logging
                Runtime.version().feature() >= 24 ? "--sun-misc-unsafe-memory-access=allow" : "-Dunused=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().remove(Logging.LEVEL_ENV);
        builder.environment().remove(Logging.FORMAT_ENV);
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(
                process.exitValue(),
                Files.readAllLines(dir.resolve("out.txt")),
                Files.readAllLines(dir.resolve("err.txt")));
    }

    private Path plugins() {
        return TestingPluginJars.echoPlugin(dir.resolve("work"));
    }

    @Test
    void pluginsListPrintsOnlyTheTableOnStdoutEvenWithDebugLogging() throws Exception {
        Path plugins = plugins();
        Result quiet = run("plugins", "list", "--dir", plugins.toString());
        Result debug = run("plugins", "list", "--dir", plugins.toString(), "--log-level", "debug");
        for (Result result : List.of(quiet, debug)) {
            assertThat(result.code()).as(String.join("\n", result.err())).isZero();
            assertThat(result.out().getFirst()).isEqualTo("plugins in " + plugins.toAbsolutePath() + ":");
            assertThat(result.out().subList(1, result.out().size()))
                    .singleElement()
                    .asString()
                    .matches("  echo +\\S+ +\\S+ \\[[^]]+\\.jar]");
        }
        assertThat(quiet.err()).isEmpty();
        assertThat(debug.err()).as("debug logging happened, on stderr").anyMatch(l -> l.matches(LOG_LINE));
    }

    @Test
    void configCheckPrintsOnlyTheVerdictAndTheEffectiveConfigOnStdout() throws Exception {
        Path file = dir.resolve("streamloader.yaml");
        Files.writeString(file, """
                topics:
                  events: {}
                plugins:
                  dir: %s
                sinks:
                  search:
                    type: echo
                    topics: [events]
                """.formatted(plugins()));
        env = java.util.Map.of(Logging.FORMAT_ENV, "text"); // the flag wins
        for (String level : List.of("warn", "debug")) {
            Result result = run("config", "check", file.toString(), "--log-level", level, "--log-format", "json");
            assertThat(result.code()).as(String.join("\n", result.err())).isZero();
            assertThat(result.out()).hasSize(2);
            assertThat(result.out().get(0)).isEqualTo(file + " is valid.");
            assertThat(result.out().get(1)).startsWith("StreamloaderConfig[").endsWith("]");
            assertThat(result.err()).allMatch(l -> l.startsWith("{\"@timestamp\""), "a JSON log line");
        }
    }

    @Test
    void configSchemaPrintsOnlyTheSchema() throws Exception {
        Result result = run("config", "schema", "--log-level", "debug");
        assertThat(result.code()).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(String.join("\n", result.out())))
                .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(ConfigCommand.schema()));
    }

    @Test
    void versionPrintsOneLine() throws Exception {
        Result result = run("--version");
        assertThat(result.code()).isZero();
        assertThat(result.out()).singleElement().asString().matches("streamloader \\S.*");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void aFailingConfigCheckWritesItsProblemsToStderrAndNothingToStdout() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "sinks:\n  search:\n    workers: lots\n");
        Result result = run("config", "check", file.toString());
        assertThat(result.code()).isEqualTo(ExitCodes.INVALID);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).anyMatch(l -> l.contains("sinks.search.workers"));
    }
}
