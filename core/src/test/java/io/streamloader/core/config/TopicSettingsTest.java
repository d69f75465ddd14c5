package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSettingsTest {

    private final ConfigProblems problems = new ConfigProblems();

    private TopicSettings bind(String name, String yaml) {
        ConfigNode root = ConfigLoader.readTree(yaml, Map.of(), problems);
        TopicSettings settings = TopicSettings.from(name, root);
        root.finish();
        return settings;
    }

    @Test
    void defaults() {
        assertThat(bind("events", ""))
                .isEqualTo(new TopicSettings("events", 3, (short) 1, Map.of()))
                .isEqualTo(new TopicSettings(
                        "events",
                        TopicSettings.DEFAULT_PARTITIONS,
                        TopicSettings.DEFAULT_REPLICATION_FACTOR,
                        Map.of()));
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void everyKeyMapped() {
        TopicSettings settings = bind(
                "somedata",
                "{partitions: 12, replication-factor: 3, config: {max.message.bytes: 1048576, cleanup: {policy: delete}}}");
        assertThat(settings)
                .isEqualTo(new TopicSettings(
                        "somedata", 12, (short) 3, Map.of("max.message.bytes", "1048576", "cleanup.policy", "delete")));
        assertThat(problems.list()).isEmpty();
    }

    @Test
    void illegalNamesAndCountsAreProblems() {
        ConfigNode topics = ConfigLoader.readTree("topics: {'bad name': {partitions: 0}}", Map.of(), problems)
                .section("topics");
        topics.sections().forEach(TopicSettings::from);
        assertThat(problems.list())
                .containsExactly(
                        "topics.bad name.partitions: must be at least 1, was 0",
                        "topics.bad name: is not a legal Kafka topic name: use 1 to 249 of a-z, A-Z, 0-9, '.', '_'"
                                + " and '-'");
        assertThatThrownBy(() -> new TopicSettings("..", 1, (short) 1, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
