package io.streamloader.sink.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkConfigReaderTest {

    @Test
    void defaultsWhenNothingIsSet() {
        SinkConfigReader r = new SinkConfigReader(new SinkContext("search", Map.of()));
        assertThat(r.string("index", "{topic}")).isEqualTo("{topic}");
        assertThat(r.integer("workers", 2, 1, 8)).isEqualTo(2);
        assertThat(r.duration("timeout", Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.bytes("max", 5 << 20)).isEqualTo(5 << 20);
        assertThat(r.bool("tls", false)).isFalse();
        assertThat(r.uris("urls", List.of(URI.create("http://localhost:9200")))).hasSize(1);
        assertThat(r.readableFile("ca")).isEmpty();
        r.finish();
    }

    @Test
    void everyTypeParsed() {
        SinkConfigReader r = new SinkConfigReader(new SinkContext(
                "search",
                Map.of(
                        "index", "logs-{topic}",
                        "workers", "4",
                        "timeout", "250ms",
                        "max", "64KiB",
                        "tls", "TRUE",
                        "urls", "http://a:9200, https://b:9201",
                        "indexes.by_user.keys", "user_id",
                        "mode", "UPSERT")));
        assertThat(r.string("index", "")).isEqualTo("logs-{topic}");
        assertThat(r.integer("workers", 1, 1, 8)).isEqualTo(4);
        assertThat(r.duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
        assertThat(r.bytes("max", 0)).isEqualTo(65536);
        assertThat(r.bool("tls", false)).isTrue();
        assertThat(r.uris("urls", List.of()))
                .containsExactly(URI.create("http://a:9200"), URI.create("https://b:9201"));
        assertThat(r.subtree("indexes")).containsEntry("by_user.keys", "user_id");
        assertThat(r.oneOf("mode", "insert", "insert", "upsert")).isEqualTo("upsert");
        r.finish();
    }

    @Test
    void reportsEveryProblemAtOnceNamingTheKeys() {
        SinkConfigReader r = new SinkConfigReader(new SinkContext(
                "docs",
                Map.of(
                        "workers",
                        "lots",
                        "timeout",
                        "soon",
                        "urls",
                        "not a url",
                        "ca",
                        "/no/such/file",
                        "colour",
                        "red")));
        r.integer("workers", 1, 1, 8);
        r.duration("timeout", Duration.ZERO);
        r.uris("urls", List.of());
        r.readableFile("ca");
        r.required("database");
        assertThatThrownBy(r::finish)
                .isInstanceOfSatisfying(
                        SinkConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "sinks.docs.config.workers: expected a whole number, was \"lots\"",
                                        "sinks.docs.config.timeout: expected " + ConfigGrammar.DURATION_FORMS
                                                + ", was \"soon\"",
                                        "sinks.docs.config.urls: is not a valid URL: \"not a url\" (Illegal character in path)",
                                        "sinks.docs.config.ca: file /no/such/file does not exist or is not readable",
                                        "sinks.docs.config.database: is required",
                                        "sinks.docs.config.colour: unknown setting; known settings are ca, database, timeout, urls, workers"));
    }

    @Test
    void requiredPathNamesTheKeyOfAMissingOrImpossiblePath() {
        SinkConfigReader ok = new SinkConfigReader(new SinkContext("files", Map.of("dir", " out/events ")));
        assertThat(ok.requiredPath("dir")).isEqualTo(Path.of("out/events"));
        assertThat(ok.finish("config")).isEqualTo("config");

        SinkConfigReader bad = new SinkConfigReader(new SinkContext("files", Map.of("dir", "a\u0000b")));
        assertThat(bad.requiredPath("dir")).isEqualTo(Path.of("."));
        bad.requiredPath("spool");
        assertThatThrownBy(() -> bad.finish("never returned"))
                .isInstanceOfSatisfying(
                        SinkConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "sinks.files.config.dir: is not a valid path: Nul character not allowed",
                                        "sinks.files.config.spool: is required"));
    }
}
