package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void restoreTheTestsLogging() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    private String logged() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aJavaUtilLoggingRecordComesOutThroughSlf4jAsOneTextLine() {
        Logging.configure(Logging.Format.TEXT, Level.INFO, out);
        java.util.logging.Logger.getLogger("org.flywaydb.core.FakeMigrator").info("Migrating schema to version 3");
        assertThat(logged().lines().toList())
                .singleElement()
                .asString()
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.+] o\\.f\\.[a-z.]*FakeMigrator +- Migrating schema to"
                        + " version 3");
    }

    @Test
    void aJavaUtilLoggingRecordComesOutAsOneJsonObjectWithItsLoggerAndLevel() throws Exception {
        Logging.configure(Logging.Format.JSON, Level.INFO, out);
        java.util.logging.Logger.getLogger("org.hibernate.FakeSession").warning("HHH000001: something to say");
        JsonNode line = new ObjectMapper().readTree(logged().lines().findFirst().orElseThrow());
        assertThat(line.path("logger_name").asText()).isEqualTo("org.hibernate.FakeSession");
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("message").asText()).isEqualTo("HHH000001: something to say");
        assertThat(logged().lines()).hasSize(1);
    }

    @Test
    void theRootLevelAppliesToJavaUtilLoggingAndSlf4jAlike() {
        Logging.configure(Logging.Format.TEXT, Level.WARN, out);
        java.util.logging.Logger.getLogger("com.example.Jul").info("jul info, below the level");
        LoggerFactory.getLogger("com.example.Slf4j").info("slf4j info, below the level");
        java.util.logging.Logger.getLogger("com.example.Jul").severe("jul severe");
        assertThat(logged().lines().toList())
                .singleElement()
                .asString()
                .contains("ERROR")
                .endsWith("jul severe");
        assertThat(java.util.logging.Logger.getLogger("com.example.Jul").isLoggable(java.util.logging.Level.INFO))
                .as("the level is pushed to JUL, so a disabled record is not even built")
                .isFalse();
    }

    @Test
    void aQuietenedLibraryIsNeverLouderThanTheRoot() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger("org.apache.kafka").setLevel(Level.WARN);
        Logging.configure(Logging.Format.TEXT, Level.ERROR, out);
        LoggerFactory.getLogger("org.apache.kafka.clients.Fake").warn("a kafka warning");
        assertThat(logged()).isEmpty();
    }

    @Test
    void theEnvironmentWinsOverTheCommandsDefault() {
        Map<String, String> env = Map.of(Logging.LEVEL_ENV, "debug", Logging.FORMAT_ENV, "JSON");
        assertThat(Logging.chooseLevel(env, Level.WARN)).isEqualTo(Level.DEBUG);
        assertThat(Logging.chooseLevel(Map.of(), Level.WARN)).isEqualTo(Level.WARN);
        assertThat(Logging.chooseFormat(env)).isEqualTo(Logging.Format.JSON);
        assertThat(Logging.chooseFormat(Map.of())).isEqualTo(Logging.Format.TEXT);
    }

    @Test
    void anUnknownLevelOrFormatIsAnErrorNamingTheChoices() {
        assertThatThrownBy(() -> Logging.level("loud")).hasMessageContaining("trace, debug, info, warn, error, off");
        assertThatThrownBy(() -> Logging.format("xml")).hasMessageContaining("text or json");
    }

    @Test
    void aBadLogLevelOnTheCommandLineIsExitCodeTwoNamingTheOption() {
        CliTesting cli = new CliTesting();
        assertThat(cli.run("plugins", "list", "--log-level", "loud")).isEqualTo(ExitCodes.INVALID);
        assertThat(cli.err.toString()).contains("--log-level").contains("log level must be one of");
    }
}
