package io.streamloader.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.sink.support.Secret;
import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticsearchSinkConfigTest {
    private static final Path CA = Path.of("src/test/resources/test-ca.crt");
    private static final Path CLICK_EVENTS = Path.of("templates/click_events.json");

    private static ElasticsearchSinkConfig parse(Map<String, String> raw) {
        return ElasticsearchSinkConfig.from(new SinkContext("search", raw));
    }

    private static List<String> problems(Map<String, String> raw) {
        try {
            parse(raw);
        } catch (SinkConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected a SinkConfigException for " + raw);
    }

    @Test
    void defaults() {
        ElasticsearchSinkConfig c = parse(Map.of());
        assertThat(c.urls()).containsExactly(URI.create("http://localhost:9200"));
        assertThat(c.username()).isEmpty();
        assertThat(c.password()).isEmpty();
        assertThat(c.apiKey()).isEmpty();
        assertThat(c.caFile()).isEmpty();
        assertThat(c.verifyHostname()).isTrue();
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.index()).hasToString("{topic}");
        assertThat(c.timestampField()).isEmpty();
        assertThat(c.timestampFormat()).isEqualTo(ElasticsearchSinkConfig.TimestampFormat.ISO);
        assertThat(c.positionalFields()).isEmpty();
        assertThat(c.bulkMaxDocs()).isEqualTo(5000);
        assertThat(c.bulkMaxBytes()).isEqualTo(5L << 20);
        assertThat(c.bulkMaxInFlight()).isEqualTo(2);
        assertThat(c.templates()).isEmpty();
    }

    @Test
    void everyKeyMapped() {
        Map<String, String> raw = new HashMap<>();
        raw.put("urls", "https://es1:9200, https://es2:9201");
        raw.put("username", "elastic");
        raw.put("password", "s3cret");
        raw.put("tls.ca-file", CA.toString());
        raw.put("tls.verify-hostname", "false");
        raw.put("connect-timeout", "2s");
        raw.put("request-timeout", "1m");
        raw.put("index", "logs-{topic}-{yyyy.MM.dd}");
        raw.put("timestamp.enabled", "true");
        raw.put("timestamp.field", "ingested_at");
        raw.put("timestamp.format", "epoch-seconds");
        raw.put("positional.fields", "user_id, timestamp,url");
        raw.put("bulk.max-docs", "2000");
        raw.put("bulk.max-bytes", "8MiB");
        raw.put("bulk.max-in-flight", "4");
        raw.put("templates.click_events.file", CLICK_EVENTS.toString());
        raw.put("templates.small.inline", "{\"index_patterns\":[\"small-*\"]}");
        ElasticsearchSinkConfig c = parse(raw);
        assertThat(c.urls()).containsExactly(URI.create("https://es1:9200"), URI.create("https://es2:9201"));
        assertThat(c.username()).contains("elastic");
        assertThat(c.password().map(Secret::reveal)).contains("s3cret");
        assertThat(c.caFile()).contains(CA);
        assertThat(c.verifyHostname()).isFalse();
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.index()).isEqualTo(IndexPattern.parse("logs-{topic}-{yyyy.MM.dd}"));
        assertThat(c.timestampField()).contains("ingested_at");
        assertThat(c.timestampFormat()).isEqualTo(ElasticsearchSinkConfig.TimestampFormat.EPOCH_SECONDS);
        assertThat(c.positionalFields()).containsExactly("user_id", "timestamp", "url");
        assertThat(c.bulkMaxDocs()).isEqualTo(2000);
        assertThat(c.bulkMaxBytes()).isEqualTo(8L << 20);
        assertThat(c.bulkMaxInFlight()).isEqualTo(4);
        assertThat(c.templates()).containsOnlyKeys("click_events", "small");
        assertThat(c.templates().get("click_events")).contains("\"clicks\": { \"type\": \"long\" }");
        assertThat(c.templates().get("small")).isEqualTo("{\"index_patterns\":[\"small-*\"]}");
    }

    @Test
    void apiKeyInsteadOfBasicAuth() {
        ElasticsearchSinkConfig c =
                parse(Map.of("api-key", "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="));
        assertThat(c.apiKey()).isPresent();
        assertThat(c.username()).isEmpty();
    }

    @Test
    void secretsAreMaskedInToString() {
        ElasticsearchSinkConfig basic = parse(Map.of("username", "elastic", "password", "s3cret"));
        assertThat(basic.toString()).doesNotContain("s3cret").contains("username=elastic, password=****");
        ElasticsearchSinkConfig apiKey = parse(Map.of("api-key", "k3y"));
        assertThat(apiKey.toString()).doesNotContain("k3y").contains("apiKey=****");
        assertThat(new ElasticsearchSinkFactory().secretKeys()).containsExactlyInAnyOrder("password", "api-key");
    }

    @Test
    void theDefaultBatchFillsEveryBulkAllowedInFlight() {
        ElasticsearchSinkConfig defaults = parse(Map.of());

        assertThat(new ElasticsearchSinkFactory().defaultBatchRecords())
                .isEqualTo(defaults.bulkMaxDocs() * defaults.bulkMaxInFlight())
                .isEqualTo(10_000);
    }

    @Test
    void everyBadValueNamesItsKey() {
        Map<String, String> raw = new HashMap<>();
        raw.put("urls", "ftp://es:21");
        raw.put("username", "elastic");
        raw.put("api-key", "k");
        raw.put("tls.ca-file", "/no/such/http_ca.crt");
        raw.put("tls.verify-hostname", "maybe");
        raw.put("connect-timeout", "soon");
        raw.put("request-timeout", "0s");
        raw.put("index", "Logs/{topic}");
        raw.put("timestamp.enabled", "sometimes");
        raw.put("timestamp.format", "unix");
        raw.put("positional.fields", "a,b,a");
        raw.put("bulk.max-docs", "0");
        raw.put("bulk.max-bytes", "1GiB");
        raw.put("bulk.max-in-flight", "many");
        raw.put("colour", "red");
        assertThat(problems(raw))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.urls: \"ftp://es:21\" must use http"))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.password: username and password"))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.api-key: set either api-key"))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("sinks.search.config.tls.ca-file: file /no/such/http_ca.crt does not exist"))
                .anySatisfy(p ->
                        assertThat(p).startsWith("sinks.search.config.tls.verify-hostname: expected true or false"))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("sinks.search.config.connect-timeout: expected a whole number with a unit"))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.request-timeout: must be positive"))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.index: 'Logs/': an index name"))
                .anySatisfy(
                        p -> assertThat(p).startsWith("sinks.search.config.timestamp.enabled: expected true or false"))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.bulk.max-docs: must be at least 1"))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.bulk.max-bytes: must be between"))
                .anySatisfy(p ->
                        assertThat(p).startsWith("sinks.search.config.bulk.max-in-flight: expected a whole number"))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.colour: unknown setting"))
                .anySatisfy(p -> assertThat(p)
                        .isEqualTo("sinks.search.config.timestamp.format: must be one of iso, epoch-seconds,"
                                + " epoch-millis, was \"unix\""))
                .anySatisfy(p -> assertThat(p)
                        .isEqualTo("sinks.search.config.positional.fields: names a field twice: [a, b, a]"))
                .hasSize(15);
    }

    @Test
    void aCaFileThatIsNoCertificateNamesTheKey(@TempDir Path dir) throws Exception {
        Path notACert = Files.writeString(dir.resolve("http_ca.crt"), "hello");
        assertThat(problems(Map.of("tls.ca-file", notACert.toString())))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith("sinks.search.config.tls.ca-file: file ")
                        .contains("is not a PEM or DER X.509 certificate"));
    }

    @Test
    void templatesAreCheckedByName(@TempDir Path dir) {
        Map<String, String> raw = new HashMap<>();
        raw.put("templates.both.inline", "{}");
        raw.put("templates.both.file", CLICK_EVENTS.toString());
        raw.put("templates.broken.inline", "{\"index_patterns\":");
        raw.put("templates.missing.file", dir.resolve("nope.json").toString());
        raw.put("templates.odd.mapping", "{}");
        raw.put("templates.Upper.inline", "{}");
        assertThat(problems(raw))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.templates.both: set exactly one"))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.templates.broken.inline: is not a JSON"))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.templates.missing.file: cannot read"))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.templates.odd.mapping: unknown setting"))
                .anySatisfy(p -> assertThat(p).startsWith("sinks.search.config.templates.Upper: template name"));
    }

    @Test
    void timestampFieldOnlyCountsWhenEnabled() {
        assertThat(parse(Map.of("timestamp.field", "at")).timestampField()).isEqualTo(Optional.empty());
        assertThat(parse(Map.of("timestamp.enabled", "true")).timestampField()).contains("timestamp");
        assertThat(ElasticsearchSinkConfig.TimestampFormat.EPOCH_SECONDS.json(
                        java.time.Instant.ofEpochMilli(1742700000999L)))
                .isEqualTo("1742700000");
        assertThat(ElasticsearchSinkConfig.TimestampFormat.EPOCH_MILLIS.json(
                        java.time.Instant.ofEpochMilli(1742700000999L)))
                .isEqualTo("1742700000999");
        assertThat(ElasticsearchSinkConfig.TimestampFormat.ISO.json(java.time.Instant.ofEpochMilli(1742700000999L)))
                .isEqualTo("\"2025-03-23T03:20:00.999Z\"");
    }

    /** User-info or a key parameter in a node URL is masked in the config and every problem. */
    @Test
    void aPasswordInsideAUrlIsNeverPrinted() {
        Map<String, String> raw =
                new HashMap<>(Map.of("urls", "http://elastic:hunter2@es1:9200, http://es2:9200/?api_key=hunter2"));
        assertThat(parse(raw).toString()).contains("elastic:****@es1").doesNotContain("hunter2");
        raw.put("urls", "ftp://elastic:hunter2@es1:21, http://elastic:hunter2@es 2");
        assertThat(problems(raw)).hasSize(2).allSatisfy(p -> assertThat(p).doesNotContain("hunter2"));
    }
}
