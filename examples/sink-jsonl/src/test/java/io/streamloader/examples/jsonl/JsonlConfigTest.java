package io.streamloader.examples.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonlConfigTest {

    @Test
    void defaults() {
        JsonlSinkConfig config = JsonlSinkConfig.from(new SinkContext("files", Map.of("dir", "/var/lib/events")));
        assertThat(config).isEqualTo(new JsonlSinkConfig(Path.of("/var/lib/events"), true));
    }

    @Test
    void everyKeyMapped() {
        JsonlSinkConfig config = JsonlSinkConfig.from(new SinkContext("files", Map.of("dir", "out", "fsync", "false")));
        assertThat(config).isEqualTo(new JsonlSinkConfig(Path.of("out"), false));
    }

    @Test
    void reportsEveryProblemWithItsKeyPath() {
        assertThatThrownBy(
                        () -> JsonlSinkConfig.from(new SinkContext("files", Map.of("fsync", "sometimes", "dri", "x"))))
                .isInstanceOfSatisfying(
                        SinkConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactlyInAnyOrder(
                                        "sinks.files.config.dir: is required",
                                        "sinks.files.config.fsync: expected true or false, was \"sometimes\"",
                                        "sinks.files.config.dri: unknown setting; known settings are dir, fsync"));
    }
}
