package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.core.config.ConfigException;
import io.streamloader.testing.TestingPluginJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path file = dir.resolve("test.env");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsNamesAndValuesInEveryForm() throws IOException {
        Map<String, String> vars = EnvFile.read(file("""
                # a comment
                KAFKA_BOOTSTRAP_SERVERS=broker1:9092,broker2:9092

                export ES_URL = http://localhost:9200   # unquoted: a space then # starts a comment
                PASSWORD='p#ss w"rd $x'
                GREETING="a \\"quoted\\" line\\nand a\\ttab" # comment
                EMPTY=
                dotted.name=1\r
                HASH=a#b
                """));
        assertThat(vars)
                .containsExactly(
                        Map.entry("KAFKA_BOOTSTRAP_SERVERS", "broker1:9092,broker2:9092"),
                        Map.entry("ES_URL", "http://localhost:9200"),
                        Map.entry("PASSWORD", "p#ss w\"rd $x"),
                        Map.entry("GREETING", "a \"quoted\" line\nand a\ttab"),
                        Map.entry("EMPTY", ""),
                        Map.entry("dotted.name", "1"),
                        Map.entry("HASH", "a#b"));
    }

    @Test
    void theRealEnvironmentWinsOverTheFileUnlessItsValueIsEmpty() throws IOException {
        Path file = file("A=from-file\nB=from-file\nC=from-file\n");
        Map<String, String> env = EnvFile.environment(file, Map.of("A", "from-env", "C", "", "D", "only-env"));
        assertThat(env)
                .containsEntry("A", "from-env")
                .containsEntry("B", "from-file")
                .containsEntry("C", "from-file")
                .containsEntry("D", "only-env");
    }

    @Test
    void everyMalformedLineIsReportedWithTheFileAndItsNumberButNotItsValue() throws IOException {
        Path file = file("""
                GOOD=1
                this line has no equals sign secret-ish
                9LIVES=x
                OPEN="never closed
                TRAIL='x' y
                ESC="\\q"
                GOOD=2
                CTRL=a\u0001b
                """);
        assertThatThrownBy(() -> EnvFile.read(file))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactly(
                                "line 2: expected NAME=value",
                                "line 3: invalid variable name '9LIVES'; a letter or _ first, then letters, digits,"
                                        + " _ or .",
                                "line 4: OPEN: the value's \" is not closed on its line",
                                "line 5: TRAIL: text after the closing ' (a comment starts with #)",
                                "line 6: ESC: unknown escape \\q in a double-quoted value (\\\", \\\\, \\n and \\t"
                                        + " are known)",
                                "line 7: GOOD is already defined on line 1",
                                "line 8: CTRL: control characters in the value"))
                .hasMessageStartingWith(file + " has 7 problems:")
                .hasMessageNotContaining("secret-ish");
    }

    @Test
    void aFileThatIsNotUtf8OrMissingIsAnErrorNamingIt() throws IOException {
        Path binary = dir.resolve("binary.env");
        Files.write(binary, new byte[] {'A', '=', (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> EnvFile.read(binary))
                .hasMessageContaining(binary + " has 1 problem")
                .hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> EnvFile.read(dir.resolve("nope.env"))).hasMessageContaining("env file not found");
    }

    @Test
    void theDefaultFileIsReadOnlyWhenPresentAndAnExplicitOneReplacesIt() throws IOException {
        Path dotEnv = dir.resolve(".env");
        assertThat(EnvironmentOptions.environment(null, dotEnv, Map.of("X", "env")))
                .isEqualTo(Map.of("X", "env"));
        Files.writeString(dotEnv, "FROM_DOT_ENV=1\n");
        Path other = file("FROM_OTHER=1\n");
        assertThat(EnvironmentOptions.environment(null, dotEnv, Map.of())).containsOnlyKeys("FROM_DOT_ENV");
        assertThat(EnvironmentOptions.environment(other, dotEnv, Map.of())).containsOnlyKeys("FROM_OTHER");
    }

    @Test
    void configCheckInterpolatesFromTheEnvFileAndReportsAMalformedOne() throws IOException {
        Path plugins = TestingPluginJars.echoPlugin(dir.resolve("work"));
        Path config = dir.resolve("streamloader.yaml");
        Files.writeString(config, """
                topics:
                  events: {}
                plugins:
                  dir: %s
                sinks:
                  search:
                    type: echo
                    topics: [events]
                    workers: ${SEARCH_WORKERS}
                """.formatted(plugins));
        Path env = file("SEARCH_WORKERS=3\n");
        CliTesting ok = new CliTesting();
        assertThat(ok.run("config", "check", config.toString(), "--env-file", env.toString()))
                .as(ok.err.toString())
                .isZero();
        assertThat(ok.out.toString()).contains("workers=3");

        CliTesting unset = new CliTesting();
        assertThat(unset.run("config", "check", config.toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(unset.err.toString()).contains("SEARCH_WORKERS is not set");

        Path broken = file("SEARCH_WORKERS 3\n");
        CliTesting bad = new CliTesting();
        assertThat(bad.run("config", "check", config.toString(), "--env-file", broken.toString()))
                .isEqualTo(ExitCodes.INVALID);
        assertThat(bad.err.toString()).contains(broken.toString()).contains("line 1: expected NAME=value");
        assertThat(bad.out.toString()).isEmpty();
    }
}
