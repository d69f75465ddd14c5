package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerSettingsTest {

    private static RunnerSettings settings(Map<String, String> sinkConfig) {
        return RunnerSettings.builder("search")
                .type("elasticsearch")
                .topics(List.of("events"))
                .sinkConfig(sinkConfig)
                .build();
    }

    @Test
    void toStringNeverShowsSinkConfigValues() {
        String text = settings(Map.of("auth.password", "hunter2", "urls", "http://user:pw@es:9200"))
                .toString();
        assertThat(text).contains("auth.password", "urls").doesNotContain("hunter2", "user:pw");
    }

    @Test
    void deadLetterTopicPatternUsesTheSourceTopic() {
        assertThat(settings(Map.of()).deadLetterTopicFor("clicks")).isEqualTo("clicks.dlq");
        assertThat(RunnerSettings.defaultGroupId("search")).isEqualTo("streamloader.search");
    }

    @Test
    void rejectsARunnerWithoutTopicsOrWorkers() {
        assertThatThrownBy(() -> RunnerSettings.builder("s")
                        .type("t")
                        .topics(List.of())
                        .groupId("g")
                        .build())
                .hasMessageContaining("topic");
        assertThatThrownBy(() -> RunnerSettings.builder("s")
                        .type("t")
                        .topics(List.of("a"))
                        .groupId("g")
                        .workers(0)
                        .build())
                .hasMessageContaining("workers");
    }

    @Test
    void aBuilderStartsFromTheDefaults() {
        RunnerSettings s = RunnerSettings.builder("search")
                .type("elasticsearch")
                .topics(List.of("events"))
                .build();

        assertThat(s.name()).isEqualTo("search");
        assertThat(s.groupId()).isEqualTo("streamloader.search");
        assertThat(s.workers()).isEqualTo(1);
        assertThat(s.batch()).isEqualTo(BatchPolicy.DEFAULT);
        assertThat(s.retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(s.deadLetterTopic()).isEqualTo(RunnerSettings.DEFAULT_DEAD_LETTER_TOPIC);
        assertThat(s.sinkConfig()).isEmpty();
        assertThat(s.supervision()).isEqualTo(SupervisionPolicy.DEFAULT);
        assertThat(s.deadLetterHeaders()).isEqualTo(DeadLetterHeaders.BOTH);
        assertThat(s.filter()).isEqualTo(EventFilter.ALL);
        assertThat(s.transforms()).isEqualTo(TransformChain.NONE);
    }

    @Test
    void everySettingOfTheBuilderIsKeptAndToBuilderGivesItBack() {
        BatchPolicy batch = new BatchPolicy(10, 4096, Duration.ofSeconds(1));
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(5), Duration.ofSeconds(1), 2.0, 0.1, Duration.ZERO);
        SupervisionPolicy supervision =
                new SupervisionPolicy(SupervisionPolicy.OnFailure.STOP, Duration.ofSeconds(1), Duration.ofSeconds(2));
        RunnerSettings s = RunnerSettings.builder("docs")
                .type("mongo")
                .topics(List.of("a", "b"))
                .groupId("custom")
                .workers(3)
                .batch(batch)
                .retry(retry)
                .deadLetterTopic("dlq.{topic}")
                .sinkConfig(Map.of("database", "d"))
                .supervision(supervision)
                .deadLetterHeaders(DeadLetterHeaders.CONNECT)
                .build();

        assertThat(s)
                .extracting(
                        RunnerSettings::type,
                        RunnerSettings::topics,
                        RunnerSettings::groupId,
                        RunnerSettings::workers,
                        RunnerSettings::batch,
                        RunnerSettings::retry,
                        RunnerSettings::deadLetterTopic,
                        RunnerSettings::sinkConfig,
                        RunnerSettings::supervision,
                        RunnerSettings::deadLetterHeaders)
                .containsExactly(
                        "mongo",
                        List.of("a", "b"),
                        "custom",
                        3,
                        batch,
                        retry,
                        "dlq.{topic}",
                        Map.of("database", "d"),
                        supervision,
                        DeadLetterHeaders.CONNECT);
        assertThat(s.toBuilder().build()).isEqualTo(s);
        RunnerSettings other = s.withBatch(BatchPolicy.DEFAULT);
        assertThat(other.batch()).isEqualTo(BatchPolicy.DEFAULT);
        assertThat(other.withBatch(batch)).as("nothing else changed").isEqualTo(s);
    }

    @Test
    void aBuilderWithoutATypeNamesIt() {
        assertThatThrownBy(
                        () -> RunnerSettings.builder("s").topics(List.of("a")).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("type");
    }
}
