package io.streamloader.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.SinkContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ConnectorSettingsTest {

    @Test
    void defaults() {
        ConnectorSettings s = ConnectorSettings.parse(Map.of("streamloader.sink.type", "mongo"));
        assertThat(s.sinkType()).isEqualTo("mongo");
        assertThat(s.pluginsDir()).isEmpty();
        assertThat(s.connectorName()).isEqualTo("connect");
        assertThat(s.sinkConfig()).isEmpty();
    }

    @Test
    void everyKeyMapped() {
        ConnectorSettings s = ConnectorSettings.parse(Map.of(
                "name", "docs",
                "connector.class", "io.streamloader.connect.StreamloaderSinkConnector",
                "topics", "somedata",
                "errors.tolerance", "all",
                "streamloader.sink.type", " mongo ",
                "streamloader.plugins.dir", "/opt/streamloader/plugins",
                "streamloader.sink.config.connection-string", "mongodb://db:27017",
                "streamloader.sink.config.indexes[0].keys", "a",
                "streamloader.sink.config.", "ignored"));
        assertThat(s.connectorName()).isEqualTo("docs");
        assertThat(s.sinkType()).isEqualTo("mongo");
        assertThat(s.pluginsDir()).isEqualTo(Optional.of(Path.of("/opt/streamloader/plugins")));
        assertThat(s.sinkConfig()).isEqualTo(Map.of("connection-string", "mongodb://db:27017", "indexes[0].keys", "a"));
    }

    @Test
    void aMissingSinkTypeNamesTheKey() {
        assertThatThrownBy(() -> ConnectorSettings.parse(Map.of("streamloader.sink.type", " ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("streamloader.sink.type");
        assertThat(ConnectorSettings.CONFIG_DEF.validate(Map.of()).stream()
                        .filter(v -> v.name().equals("streamloader.sink.type"))
                        .findFirst()
                        .orElseThrow()
                        .errorMessages())
                .isNotEmpty();
    }

    @Test
    void aSinkProblemIsFiledUnderTheConnectorSettingItNames() {
        SinkContext context = new SinkContext("docs", Map.of("auth.username", "u", "auth.password", "p"));
        SinkValidation.Problem p = SinkValidation.locate(
                context, "sinks.docs.config.auth.password: is set but sinks.docs.config.auth.username is not");
        assertThat(p.key()).isEqualTo("streamloader.sink.config.auth.password");
        assertThat(p.message())
                .isEqualTo("streamloader.sink.config.auth.password: is set but streamloader.sink.config.auth.username"
                        + " is not");

        SinkValidation.Problem sub =
                SinkValidation.locate(context, "sinks.docs.config.auth.username.x: must be a string");
        assertThat(sub.key()).isEqualTo("streamloader.sink.config.auth.username");

        SinkValidation.Problem missing = SinkValidation.locate(context, "sinks.docs.config.urls: is required");
        assertThat(missing.key()).isEqualTo("streamloader.sink.config.urls");

        SinkValidation.Problem none = SinkValidation.locate(context, "the settings contradict each other");
        assertThat(none.key()).isEqualTo("streamloader.sink.type");
    }
}
