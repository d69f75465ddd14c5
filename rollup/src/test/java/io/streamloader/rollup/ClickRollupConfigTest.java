package io.streamloader.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.ConfigProblems;
import io.streamloader.core.config.StreamloaderConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ClickRollupConfigTest {

    private static final String TOPICS = """
            topics:
              clickstream: {partitions: 2}
              clicks: {}
              click_events: {partitions: 1, config: {cleanup.policy: compact}}
              rollups: {config: {cleanup.policy: "compact,delete"}}
            """;

    private static StreamloaderConfig file(String processors) {
        return ConfigLoader.parse(TOPICS + processors, Map.of());
    }

    private static List<ClickRollupProcessor> bind(String processors, ConfigProblems problems) {
        return ClickRollup.fromConfig(file(processors), problems);
    }

    @Test
    void anEntryWithOnlyItsTypeGetsEveryDefault() {
        ConfigProblems problems = new ConfigProblems();
        List<ClickRollupProcessor> processors = bind("""
                processors:
                  clickstream: {type: clickstream-rollup}
                """, problems);

        assertThat(problems.list()).isEmpty();
        assertThat(processors).hasSize(1);
        ClickRollupConfig config = processors.get(0).config();
        assertThat(config).isEqualTo(ClickRollupConfig.defaults("clickstream"));
        assertThat(config.input()).isEqualTo("clickstream");
        assertThat(config.output()).isEqualTo("click_events");
        assertThat(config.deadLetterTopic()).isEqualTo("clickstream.dlq");
        assertThat(config.applicationId()).isEqualTo("streamloader.clickstream");
        assertThat(config.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "streamloader-streams"));
        assertThat(config.threads()).isEqualTo(1);
        assertThat(config.exactlyOnce()).isTrue();
        assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.cacheMaxBytes()).isEqualTo(10L << 20);
        assertThat(config.dedupRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(config.streams()).isEmpty();
    }

    @Test
    void everyKeyIsMapped() {
        ConfigProblems problems = new ConfigProblems();
        List<ClickRollupProcessor> processors = bind("""
                kafka: {bootstrap-servers: "k1:9092", client: {client.rack: r1}}
                processors:
                  clicks:
                    type: clickstream-rollup
                    enabled: true
                    input: clicks
                    output: rollups
                    dead-letter: {topic: clicks.bad}
                    application-id: my-rollup
                    state-dir: /var/lib/streams
                    threads: 3
                    processing-guarantee: at-least-once
                    commit-interval: 2s
                    cache-max-bytes: 1MiB
                    dedup-retention: 12h
                    streams: {num.standby.replicas: 1}
                """, problems);

        assertThat(problems.list()).isEmpty();
        ClickRollupConfig config = processors.get(0).config();
        assertThat(config)
                .isEqualTo(new ClickRollupConfig(
                        "clicks",
                        "clicks",
                        "rollups",
                        "clicks.bad",
                        "my-rollup",
                        Path.of("/var/lib/streams"),
                        3,
                        false,
                        Duration.ofSeconds(2),
                        1L << 20,
                        Duration.ofHours(12),
                        Map.of("num.standby.replicas", "1")));
        Properties props = processors.get(0).streamsProperties();
        assertThat(props)
                .containsEntry("bootstrap.servers", "k1:9092")
                .containsEntry("client.rack", "r1")
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "my-rollup")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, "/var/lib/streams")
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 3)
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 2000L)
                .containsEntry(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 1L << 20)
                .containsEntry("num.standby.replicas", "1");
    }

    @Test
    void exactlyOnceIsTheDefaultGuaranteeOfTheStreamsClient() {
        List<ClickRollupProcessor> processors = bind("""
                processors:
                  clickstream: {type: clickstream-rollup}
                """, new ConfigProblems());

        assertThat(processors.get(0).streamsProperties())
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    }

    @Test
    void disabledProcessorsAreValidatedButNotReturned() {
        ConfigProblems problems = new ConfigProblems();
        List<ClickRollupProcessor> processors = bind("""
                processors:
                  clickstream: {type: clickstream-rollup, enabled: false}
                """, problems);

        assertThat(problems.list()).isEmpty();
        assertThat(processors).isEmpty();
    }

    @Test
    void noProcessorsSectionGivesNoProcessors() {
        ConfigProblems problems = new ConfigProblems();
        assertThat(bind("", problems)).isEmpty();
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void everyProblemIsReportedWithItsKeyPath() {
        ConfigProblems problems = new ConfigProblems();
        List<ClickRollupProcessor> processors = bind("""
                processors:
                  clickstream:
                    type: clickstream-rollup
                    window: 5m
                    threads: 0
                    commit-interval: soon
                    processing-guarantee: maybe
                    input: "bad topic"
                    dead-letter: {topic: x, tpoic: y}
                    streams: {application.id: other}
                  enrich: {type: enrichment}
                  untyped: {input: clickstream}
                """, problems);

        assertThat(processors).isEmpty();
        assertThat(problems.list())
                .containsExactlyInAnyOrder(
                        "processors.clickstream.input: is not a legal Kafka topic name: use 1 to 249 of a-z, A-Z,"
                                + " 0-9, '.', '_' and '-'",
                        "processors.clickstream.threads: must be at least 1, was 0",
                        "processors.clickstream.processing-guarantee: expected exactly-once or at-least-once, was"
                                + " 'maybe'",
                        "processors.clickstream.streams.application.id: set application-id or"
                                + " kafka.bootstrap-servers instead",
                        problems.list().stream()
                                .filter(p -> p.startsWith("processors.clickstream.commit-interval: "))
                                .findFirst()
                                .orElse("commit-interval problem missing"),
                        problems.list().stream()
                                .filter(p -> p.startsWith("processors.clickstream.window: "))
                                .findFirst()
                                .orElse("window problem missing"),
                        problems.list().stream()
                                .filter(p -> p.startsWith("processors.clickstream.dead-letter.tpoic: "))
                                .findFirst()
                                .orElse("tpoic problem missing"),
                        "processors.enrich.type: unknown processor type 'enrichment'; known: clickstream-rollup",
                        "processors.untyped.type: is required",
                        problems.list().stream()
                                .filter(p -> p.startsWith("processors.untyped.input: "))
                                .findFirst()
                                .orElse("untyped input problem missing"));
        assertThat(problems.list()).anyMatch(p -> p.contains("dead-letter.tpoic") && p.contains("topic"));
    }

    @Test
    void topicsMustBeListedAndTheOutputCompacted() {
        ConfigProblems problems = new ConfigProblems();
        bind("""
                processors:
                  a: {type: clickstream-rollup, input: unknown, output: clicks}
                  b: {type: clickstream-rollup, output: nowhere}
                """, problems);

        assertThat(problems.list())
                .containsExactly(
                        "processors.a.input: topic 'unknown' is not listed under topics:",
                        "processors.a.output: topic 'clicks' must be compacted to keep the latest rollup per pair:"
                                + " set topics.clicks.config.cleanup.policy: compact",
                        "processors.b.output: topic 'nowhere' is not listed under topics:");
    }

    @Test
    void twoProcessorsCannotShareAnApplicationIdOrTopics() {
        ConfigProblems problems = new ConfigProblems();
        bind("""
                processors:
                  a: {type: clickstream-rollup, application-id: same}
                  b: {type: clickstream-rollup, application-id: same, output: rollups}
                  c: {type: clickstream-rollup, output: clickstream}
                """, problems);

        assertThat(problems.list())
                .containsExactly(
                        "processors.b.application-id: 'same' is also the application id of processors.a",
                        "processors.c.output: input, output and dead-letter.topic must be three different topics");
    }

    @Test
    void toStringMasksSecretStreamsProperties() {
        ClickRollupConfig config = new ClickRollupConfig(
                "c",
                "in",
                "out",
                "in.dlq",
                "app",
                Path.of("/tmp"),
                1,
                true,
                Duration.ofMillis(100),
                0,
                Duration.ofDays(1),
                Map.of("sasl.jaas.config", "secret-value"));
        assertThat(config.toString()).doesNotContain("secret-value").contains("sasl.jaas.config");
    }
}
