package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

import io.streamloader.core.pipeline.BatchPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String EXAMPLE = """
            kafka:
              bootstrap-servers: ${KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}
              client: {sasl.jaas.config: "${JAAS:-none}"}
            topics:
              events: {}
              somedata: {partitions: 3, replication-factor: 1, config: {max.message.bytes: 1048576}}
            sinks:
              search:
                type: elasticsearch
                topics: [events]
                batch: {max-records: 500, max-bytes: 4MiB, max-linger: 100ms}
                config: {urls: "http://localhost:9200", auth: {password: "${ES_PASSWORD}"}}
              docs:
                type: mongo
                enabled: false
                topics: somedata
            plugins:
              dir: /opt/streamloader/plugins
            api:
              port: 8080
            processors:
              enrich: {}
            """;

    @Test
    void loadsTheExampleFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("streamloader.yaml");
        Files.writeString(file, EXAMPLE);
        StreamloaderConfig config = ConfigLoader.load(file, Map.of("ES_PASSWORD", "hunter2", "JAAS", "jaas-secret"));

        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.topics()).extracting(TopicSettings::name).containsExactly("events", "somedata");
        assertThat(config.topic("somedata").orElseThrow().config()).containsEntry("max.message.bytes", "1048576");
        assertThat(config.sinks()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("search");
            assertThat(s.batch()).isEqualTo(new BatchPolicy(500, 4L << 20, Duration.ofMillis(100)));
            assertThat(s.sinkConfig()).containsEntry("auth.password", "hunter2");
        });
        assertThat(config.disabledSinks()).containsExactly("docs");
        assertThat(config.plugins().dir()).isEqualTo(Path.of("/opt/streamloader/plugins"));
        assertThat(config.api().isPresent()).isTrue();
        assertThat(config.processors().isPresent()).isTrue();
        assertThat(config.toString()).doesNotContain("hunter2", "jaas-secret").contains("auth.password=****");
    }

    @Test
    void anEmptyFileGivesDefaults() {
        StreamloaderConfig config = ConfigLoader.parse("", Map.of());
        assertThat(config.kafka()).isEqualTo(KafkaSettings.DEFAULT);
        assertThat(config.topics()).isEmpty();
        assertThat(config.sinks()).isEmpty();
        assertThat(config.plugins()).isEqualTo(PluginSettings.DEFAULT);
        assertThat(config.api().isPresent()).isFalse();
    }

    @Test
    void threeMistakesGiveExactlyThreeProblemsEachNamingItsKey() {
        String yaml = """
                topics:
                  events: {}
                sinks:
                  search:
                    type: elasticsearch
                    topics: [events]
                    workers: lots
                    batch: {max-records: 0}
                    retyr: {}
                """;
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        config has 3 problems:
                          - sinks.search.workers: expected a whole number, was "lots"
                          - sinks.search.batch.max-records: must be at least 1, was 0
                          - sinks.search.retyr: unknown key; did you mean 'retry'?""")
                .extracting(e -> ((ConfigException) e).problems(), LIST)
                .hasSize(3);
    }

    @Test
    void aMissingVariableIsReportedWithTheOtherProblems() {
        assertThatThrownBy(() -> ConfigLoader.parse("kafka: {bootstrap-servers: '${KAFKA}'}\nplugin: {}\n", Map.of()))
                .extracting(e -> ((ConfigException) e).problems(), LIST)
                .containsExactly(
                        "kafka.bootstrap-servers: environment variable KAFKA is not set and has no default; set it or"
                                + " write ${KAFKA:-default}",
                        "plugin: unknown key; did you mean 'plugins'?");
    }

    @Test
    void aYamlSyntaxErrorNamesLineAndColumn() {
        assertThatThrownBy(() -> ConfigLoader.parse("kafka:\n  bootstrap-servers: [a, b\nsinks: {}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).problems(), LIST)
                .singleElement()
                .asString()
                .isEqualTo("invalid YAML at line 3, column 6: while parsing a flow sequence: expected ',' or ']', but"
                        + " got :");
    }

    @Test
    void aDuplicateKeyIsASyntaxError() {
        assertThatThrownBy(() -> ConfigLoader.parse("kafka: {}\nkafka: {}\n", Map.of()))
                .extracting(e -> ((ConfigException) e).problems(), LIST)
                .singleElement()
                .asString()
                .contains("line 2")
                .contains("Duplicate field 'kafka'");
    }

    @Test
    void aFileThatIsNotAMappingIsAProblem() {
        assertThatThrownBy(() -> ConfigLoader.parse("- a\n- b\n", Map.of()))
                .extracting(e -> ((ConfigException) e).problems(), LIST)
                .containsExactly("the file must be a mapping of sections (kafka:, topics:, sinks:, plugins:, ...)");
    }

    @Test
    void aMissingFileIsAProblem(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("file not found: " + file);
    }

    @Test
    void ownersBindRawSectionsIntoTheSameProblems() {
        ConfigProblems problems = new ConfigProblems();
        ConfigNode root = ConfigLoader.readTree("api: {port: 0, prot: 1}\n", Map.of(), problems);
        StreamloaderConfig config = StreamloaderConfig.from(root);
        ConfigNode api = config.api().bind(problems);
        api.integer("port", 8080, 1, 65535);
        api.finish();
        assertThat(problems.list())
                .isEqualTo(
                        List.of("api.port: must be at least 1, was 0", "api.prot: unknown key; did you mean 'port'?"));
    }
}
