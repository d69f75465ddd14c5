package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerSettingsTest {

    private static RunnerSettings settings(Map<String, String> sinkConfig) {
        return new RunnerSettings(
                "search",
                "elasticsearch",
                List.of("events"),
                RunnerSettings.defaultGroupId("search"),
                1,
                BatchPolicy.DEFAULT,
                RetryPolicy.DEFAULT,
                RunnerSettings.DEFAULT_DEAD_LETTER_TOPIC,
                sinkConfig);
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
        assertThatThrownBy(() -> new RunnerSettings(
                        "s", "t", List.of(), "g", 1, BatchPolicy.DEFAULT, RetryPolicy.DEFAULT, "{topic}.dlq", Map.of()))
                .hasMessageContaining("topic");
        assertThatThrownBy(() -> new RunnerSettings(
                        "s",
                        "t",
                        List.of("a"),
                        "g",
                        0,
                        BatchPolicy.DEFAULT,
                        RetryPolicy.DEFAULT,
                        "{topic}.dlq",
                        Map.of()))
                .hasMessageContaining("workers");
    }
}
