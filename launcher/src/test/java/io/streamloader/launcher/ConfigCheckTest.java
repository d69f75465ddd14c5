package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.testing.TestingPluginJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {
    @TempDir
    Path dir;

    private final CliTesting cli = new CliTesting();
    private final java.io.StringWriter out = cli.out;
    private final java.io.StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    private Path pluginsWithEcho() {
        return TestingPluginJars.echoPlugin(dir.resolve("work"));
    }

    private Path config(String yaml) throws IOException {
        Path file = dir.resolve("streamloader.yaml");
        Files.writeString(file, yaml.replace("PLUGINS", pluginsWithEcho().toString()));
        return file;
    }

    @Test
    void threeMistakesGiveExitCodeTwoAndThreeMessagesNamingTheirKeys() throws IOException {
        Path file = config("""
                kafka:
                  bootstrap-servers: localhost:9092
                topics:
                  events: { partitions: 3 }
                plugins:
                  dir: PLUGINS
                sinks:
                  search:
                    type: echo
                    topics: [events]
                    workers: lots
                    batch: { max-records: 0 }
                    dead-letter: { topik: "{topic}.dlq" }
                """);
        assertThat(run("config", "check", file.toString())).isEqualTo(ExitCodes.INVALID);
        List<String> problems = Arrays.stream(err.toString().split("\n"))
                .filter(l -> l.startsWith("  - "))
                .toList();
        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).contains("sinks.search.workers");
        assertThat(problems.get(1)).contains("sinks.search.batch.max-records");
        assertThat(problems.get(2)).contains("sinks.search.dead-letter.topik").contains("topic");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void transformMistakesAreReportedNamingTheirSteps() throws IOException {
        Path file = config("""
                topics:
                  events: {}
                plugins:
                  dir: PLUGINS
                sinks:
                  fleet:
                    type: echo
                    topics: [events]
                    transforms:
                      - { type: filter, json-pointer: /vin }
                      - { type: insert-field, value: event-time, format: weekly }
                  search:
                    type: echo
                    topics: [events]
                    transforms:
                      - { type: route, json-pointer: kind, missing: maybe }
                """);
        assertThat(run("config", "check", file.toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString())
                .contains("sinks.fleet.transforms[1].field: is required")
                .contains("sinks.fleet.transforms[1].format: must be one of epoch-seconds, epoch-millis, iso")
                .contains("sinks.search.transforms[0].missing: must be one of pass, fail")
                .doesNotContain("transforms[0].json-pointer");
    }

    @Test
    void aTransformTypeNoPluginProvidesIsReportedOnceTheFileIsValid() throws IOException {
        Path file = config("""
                topics:
                  events: {}
                plugins:
                  dir: PLUGINS
                sinks:
                  search:
                    type: echo
                    topics: [events]
                    transforms:
                      - { type: route, json-pointer: /kind }
                      - { type: mask-field, field: ssn }
                """);
        assertThat(run("config", "check", file.toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString())
                .contains("sinks.search.transforms[1].type: no transform of type 'mask-field'")
                .doesNotContain("transforms[0]");
    }

    @Test
    void aValidFileIsPrintedWithSecretsMasked() throws IOException {
        Path file = config("""
                topics:
                  events: {}
                plugins:
                  dir: PLUGINS
                sinks:
                  search:
                    type: echo
                    topics: [events]
                    config:
                      password: hunter2
                      url: http://localhost:1
                """);
        assertThat(run("config", "check", file.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("is valid").contains("search").doesNotContain("hunter2");
    }

    /** Each sink's URL style with a password inside, under keys that are not secret by name: never printed. */
    @Test
    void aPasswordInsideAnyUrlIsMaskedInTheOutput() throws IOException {
        Path file = config("""
                topics:
                  events: {}
                plugins:
                  dir: PLUGINS
                sinks:
                  archive:
                    type: echo
                    topics: [events]
                    config:
                      jdbc.url: jdbc:postgresql://db:5432/app?user=sl&password=hunter2
                      jdbc.other-url: jdbc:postgresql://sl:hunter2@db:5432/app
                  docs:
                    type: echo
                    topics: [events]
                    config:
                      connection-string: mongodb://sl:hunter2@db1:27017,db2:27017/app
                  search:
                    type: echo
                    topics: [events]
                    config:
                      urls: http://elastic:hunter2@es:9200, http://es2:9200/?api_key=hunter2
                """);
        assertThat(run("config", "check", file.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString())
                .contains("is valid")
                .contains("jdbc:postgresql://sl:****@db")
                .contains("elastic:****@es")
                .doesNotContain("hunter2");
        assertThat(err.toString()).doesNotContain("hunter2");
    }

    @Test
    void anUnknownSinkTypeNamesTheKeyAndTheTypesThatExist() throws IOException {
        Path file = config("""
                topics:
                  events: {}
                plugins:
                  dir: PLUGINS
                sinks:
                  search:
                    type: elasticsearh
                    topics: [events]
                """);
        assertThat(run("config", "check", file.toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString())
                .contains("sinks.search.type")
                .contains("elasticsearh")
                .contains("echo");
    }

    @Test
    void aBrokenPluginIsReportedWithItsJarWhileTheOthersStillLoad() throws IOException {
        Path file = config("""
                topics:
                  events: {}
                plugins:
                  dir: PLUGINS
                sinks:
                  search:
                    type: echo
                    topics: [events]
                """);
        Path broken = file.getParent().resolve("work").resolve("plugins").resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("not-a-jar.jar"), "garbage");
        assertThat(run("config", "check", file.toString())).as(err.toString()).isEqualTo(ExitCodes.OK);
        assertThat(err.toString()).contains("warning: plugin not loaded").contains("not-a-jar.jar");
    }

    @Test
    void helpListsTheExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Exit codes:").contains("2").contains("Invalid command line");
    }
}
