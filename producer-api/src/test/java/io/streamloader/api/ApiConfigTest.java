package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.streamloader.core.config.ConfigException;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.KeySecret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

    @Test
    void defaults() {
        var c = ApiConfig.from(ConfigLoader.parse(
                "topics:\n  clicks: {}\n  other: {}\nsinks:\n  s:\n    type: x\n    topics: [clicks]\n", Map.of()));
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.security()).isEqualTo(ApiSecurity.NONE);
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.routes()).isEqualTo(Map.of("/somedata", "somedata", "/footdata", "footdata", "/events", "events"));
        assertThat(c.topics()).containsExactly("clicks");
        assertThat(c.allTopics()).containsExactly("clicks", "events", "footdata", "somedata");
        assertThat(c.maxBodyBytes()).isEqualTo(16L << 20);
        assertThat(c.maxInFlightBytes()).isEqualTo(64L << 20);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.idField()).contains("id");
        assertThat(c.keyField()).isEmpty();
        assertThat(c.schemas()).isEmpty();
        assertThat(c.authenticationEnabled()).isFalse();
        assertThat(c.blobContentTypes())
                .containsExactly(
                        "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/tiff", "image/avif");
        assertThat(c.positionalTopics()).isEmpty();
        assertThat(c.limits()).isEqualTo(RequestLimits.defaults());
        assertThat(c.limits().maxEventsPerRequest()).isEqualTo(5000);
        assertThat(c.topicBlobContentTypes()).isEmpty();
        assertThat(c.protectedTopics()).containsExactly("clicks.dlq");
    }

    @Test
    void anEmptyRoutesMappingTurnsTheDemoRoutesOff() {
        var c = ApiConfig.from(ConfigLoader.parse(
                "topics:\n  clicks: {}\nsinks:\n  s: {type: x, topics: [clicks]}\napi:\n  routes: {}\n", Map.of()));
        assertThat(c.routes()).isEmpty();
        assertThat(c.allTopics()).containsExactly("clicks");
    }

    @Test
    void everyKeyMapped() {
        var yaml = """
                topics:
                  fleet: {}
                  pictures: {}
                api:
                  host: 127.0.0.1
                  port: 9090
                  routes:
                    /telemetry: fleet
                  topics: [pictures]
                  max-body-bytes: 1MiB
                  max-in-flight-bytes: 8MiB
                  request-timeout: 2s
                  retry-after: 3s
                  id-field: event_id
                  key-field: vin
                  schemas:
                    fleet: schemas/fleet.json
                  allow-unauthenticated: true
                  keys:
                    fleet-client:
                      key: ${API_KEY}
                      topics: [fleet, pictures]
                      rate: 50
                      burst: 80
                      pin: { customer_id: acme }
                    hashed:
                      key: sha256:abababababababababababababababababababababababababababababababab
                  blob-content-types: [image/png]
                  positional-topics: [pictures, fleet]
                  limits:
                    max-events-per-request: 100
                    max-form-fields: 50
                    max-nesting-depth: 10
                    max-connections: 20
                    idle-timeout: 5s
                    min-request-data-rate: 2KiB
                  topic-blob-content-types:
                    pictures: [image/jpeg, application/pdf]
                """;
        var c = ApiConfig.from(ConfigLoader.parse(yaml, Map.of("API_KEY", "k-123456789-abcdef")));
        assertThat(c)
                .isEqualTo(new ApiConfig(
                        "127.0.0.1",
                        9090,
                        Map.of("/telemetry", "fleet"),
                        List.of("pictures"),
                        1L << 20,
                        8L << 20,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(3),
                        Optional.of("event_id"),
                        Optional.of("vin"),
                        Map.of("fleet", Path.of("schemas/fleet.json")),
                        new ApiSecurity(
                                List.of(
                                        new ApiKey(
                                                "fleet-client",
                                                KeySecret.parse("k-123456789-abcdef"),
                                                Set.of("fleet", "pictures"),
                                                Map.of("customer_id", "acme"),
                                                50,
                                                80),
                                        new ApiKey(
                                                "hashed",
                                                KeySecret.parse("sha256:" + "ab".repeat(32)),
                                                Set.of("*"),
                                                Map.of(),
                                                0,
                                                0)),
                                true,
                                Optional.empty()),
                        List.of("image/png"),
                        List.of("pictures", "fleet"),
                        new RequestLimits(100, 50, 10, 20, Duration.ofSeconds(5), 2048),
                        Map.of("pictures", List.of("image/jpeg", "application/pdf")),
                        Set.of()));
        assertThat(c.blobContentTypes("pictures")).containsExactly("image/jpeg", "application/pdf");
        assertThat(c.blobContentTypes("fleet")).containsExactly("image/png");
        assertThat(c.toString())
                .doesNotContain("k-123456789")
                .doesNotContain("abab")
                .contains("positionalTopics=[pictures, fleet]");
        assertThat(c.positional("fleet")).isTrue();
    }

    @Test
    void everyProblemIsReportedWithItsKey() {
        var yaml = """
                api:
                  port: 70000
                  request-timout: 2s
                  max-body-bytes: lots
                """;
        assertThatThrownBy(() -> ApiConfig.from(ConfigLoader.parse(yaml, Map.of())))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anyMatch(p -> p.contains("api.port"))
                        .anyMatch(p -> p.contains("api.request-timout"))
                        .anyMatch(p -> p.contains("api.max-body-bytes")));
    }

    @Test
    void recordValidationNamesTheKey() {
        assertThatThrownBy(() -> ApiConfig.from(Map.of("routes", Map.of("/health", "x"))))
                .hasMessageContaining("api.routes: key '/health' collides with a built-in path");
        assertThatThrownBy(() -> ApiConfig.from(Map.of("max-body-bytes", 10, "max-in-flight-bytes", 5)))
                .hasMessageContaining("api.max-in-flight-bytes: (5) must be at least api.max-body-bytes (10)");
        assertThatThrownBy(() -> ApiConfig.from(Map.of("topics", List.of("bad topic"))))
                .hasMessageContaining("api.topics: has an invalid topic name: bad topic");
        assertThatThrownBy(() -> ApiConfig.from(Map.of("keys", Map.of("k", Map.of("key", "short")))))
                .hasMessageContaining("api.keys.k");
        assertThatThrownBy(() -> ApiConfig.defaults()
                        .withLimits(RequestLimits.defaults())
                        .withSecurity(new ApiSecurity(List.of(), false, Optional.empty()))
                        .withProtectedTopics(Set.of("somedata")))
                .as("a withX copy is checked like any other")
                .hasMessageContaining(
                        "api.routes./somedata targets 'somedata', a processor output or dead-letter topic");
    }

    @Test
    void positionalTopicsMustBeValidTopicsTheApiServes() {
        var yaml = """
                topics:
                  clickstream: {}
                sinks:
                  s: {type: x, topics: [clickstream]}
                api:
                  positional-topics: [clickstream, clikstream]
                """;
        assertThatThrownBy(() -> ApiConfig.from(ConfigLoader.parse(yaml, Map.of())))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .singleElement(STRING)
                        .contains("api.positional-topics: names an unknown topic: clikstream")
                        .contains("[clickstream, events, footdata, somedata]"));
        assertThatThrownBy(() -> ApiConfig.from(Map.of("positional-topics", List.of("bad topic"))))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly("api.positional-topics: has an invalid topic name: bad topic"));
        assertThat(ApiConfig.from(ConfigLoader.parse(yaml.replace(", clikstream", ""), Map.of()))
                        .positional("clickstream"))
                .isTrue();
    }

    @Test
    void aNonLoopbackHostNeedsKeysOrTheOptOut() {
        assertThatThrownBy(() -> ApiConfig.from(ConfigLoader.parse("api: { host: 0.0.0.0 }", Map.of())))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement(STRING)
                                .startsWith("api")
                                .contains("api.host: 0.0.0.0 is not a loopback address")
                                .contains("api.keys")
                                .contains("api.allow-unauthenticated"));
        assertThatThrownBy(() -> ApiConfig.from(Map.of("host", "10.1.2.3"))).hasMessageContaining("api.host");
        assertThat(ApiConfig.from(ConfigLoader.parse("api: { host: 0.0.0.0, allow-unauthenticated: true }", Map.of()))
                        .host())
                .isEqualTo("0.0.0.0");
        assertThat(ApiConfig.from(ConfigLoader.parse(
                                "api: { host: 0.0.0.0, keys: { a: { key: 'a-long-enough-api-key' } } }", Map.of()))
                        .authenticationEnabled())
                .isTrue();
    }

    @Test
    void badKeyEntriesNameTheirKeys() {
        var yaml = """
                api:
                  keys:
                    short: { key: tiny-secret }
                    none: { topics: [events] }
                    hex: { key: 'sha256:xyz' }
                    pin: { key: 'a-long-enough-api-key', pin: { 'Bad Name': x } }
                    rate: { key: 'another-long-enough-key', rate: -1 }
                    first: { key: 'the-first-valid-api-key' }
                    twin: { key: 'the-first-valid-api-key' }
                  tls: { cert: /nonexistent/server.crt, key: /nonexistent/server.key }
                """;
        assertThatThrownBy(() -> ApiConfig.from(ConfigLoader.parse(yaml, Map.of())))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .anySatisfy(p -> assertThat(p).startsWith("api.keys.short.key:"))
                                .anySatisfy(p -> assertThat(p).startsWith("api.keys.none.key:"))
                                .anySatisfy(p -> assertThat(p).startsWith("api.keys.hex.key:"))
                                .anySatisfy(p -> assertThat(p).contains("api.keys.pin.pin.Bad Name"))
                                .anySatisfy(p -> assertThat(p).startsWith("api.keys.rate.rate:"))
                                .anySatisfy(p -> assertThat(p).startsWith("api.keys.twin: has the same secret"))
                                .anySatisfy(p -> assertThat(p).startsWith("api.tls.cert:"))
                                .anySatisfy(p -> assertThat(p).startsWith("api.tls.key:"))
                                .noneSatisfy(p -> assertThat(p).contains("tiny-secret")));
    }

    @Test
    void topicsDefaultToSinkInputsWithoutDerivedOrInternalTopics() {
        var yaml = """
                topics:
                  clicks: {}
                  raw: {}
                  rollups: {}
                  failed: {}
                sinks:
                  a: {type: x, topics: [clicks], dead-letter: {topic: failed}}
                """;
        var c = ApiConfig.from(ConfigLoader.parse(yaml, Map.of()));
        assertThat(c.topics()).containsExactly("clicks");
        assertThat(c.protectedTopics()).containsExactly("failed");

        var node = ConfigLoader.parse(yaml + "api:\n  topics: [clicks, rollups]\n", Map.of());
        var problems = new io.streamloader.core.config.ConfigProblems();
        var bound = node.api().bind(problems);
        var launcherView = ApiConfig.from(bound, List.of("clicks", "raw", "rollups"), Set.of("rollups", "failed"));
        assertThat(problems.list())
                .singleElement(STRING)
                .contains("api.topics: lists 'rollups', a processor output or dead-letter topic");
        assertThat(launcherView).isEqualTo(ApiConfig.defaults());

        var implicit = ApiConfig.from(
                ConfigLoader.parse(yaml, Map.of()).api().bind(problems),
                List.of("clicks", "rollups"),
                Set.of("rollups"));
        assertThat(implicit.topics()).containsExactly("clicks");
    }

    @Test
    void aFilesProcessorsGiveInputsAndProtectedOutputs() {
        var yaml = """
                topics:
                  clickstream: {}
                  click_events: {}
                  raw: {}
                  rolled: {}
                processors:
                  clickstream: {type: clickstream-rollup}
                  other: {type: clickstream-rollup, input: raw, output: rolled, dead-letter: {topic: raw-bad}}
                sinks:
                  search: {type: x, topics: [click_events]}
                """;
        var c = ApiConfig.from(ConfigLoader.parse(yaml, Map.of()));
        assertThat(c.topics()).containsExactlyInAnyOrder("clickstream", "raw");
        assertThat(c.protectedTopics())
                .containsExactlyInAnyOrder("click_events", "click_events.dlq", "clickstream.dlq", "rolled", "raw-bad");
        assertThatThrownBy(
                        () -> ApiConfig.from(ConfigLoader.parse(yaml + "api:\n  topics: [click_events]\n", Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("api.topics: lists 'click_events'");
    }

    @Test
    void internalAndDeadLetterTopicsAreNeverWritableEvenIfListed() {
        for (String topic :
                List.of("__consumer_offsets", "_schemas", "app-store-changelog", "app-x-repartition", "clicks.dlq")) {
            assertThatThrownBy(() -> ApiConfig.from(Map.of("topics", List.of(topic))))
                    .as(topic)
                    .hasMessageContaining("api.topics: lists '" + topic + "'");
            assertThatThrownBy(() -> ApiConfig.from(Map.of("routes", Map.of("/x", topic))))
                    .as(topic)
                    .hasMessageContaining("api.routes./x");
        }
        var listsDerived = ApiConfig.from(Map.of("topics", List.of("derived")));
        assertThatThrownBy(() -> listsDerived.withProtectedTopics(Set.of("derived")))
                .hasMessageContaining("api.topics lists 'derived'");
    }

    @Test
    void limitsAreValidatedNamingTheKey() {
        assertThatThrownBy(() -> new RequestLimits(0, 1, 64, 1, Duration.ofSeconds(1), 0))
                .hasMessageContaining("api.limits.max-events-per-request");
        assertThatThrownBy(() -> new RequestLimits(1, 0, 64, 1, Duration.ofSeconds(1), 0))
                .hasMessageContaining("api.limits.max-form-fields");
        assertThatThrownBy(() -> new RequestLimits(1, 1, 1, 1, Duration.ofSeconds(1), 0))
                .hasMessageContaining("api.limits.max-nesting-depth");
        assertThatThrownBy(() -> new RequestLimits(1, 1, 64, 0, Duration.ofSeconds(1), 0))
                .hasMessageContaining("api.limits.max-connections");
        assertThatThrownBy(() -> new RequestLimits(1, 1, 64, 1, Duration.ofMillis(1), 0))
                .hasMessageContaining("api.limits.idle-timeout");
        assertThatThrownBy(() -> new RequestLimits(1, 1, 64, 1, Duration.ofSeconds(1), -1))
                .hasMessageContaining("api.limits.min-request-data-rate");
        assertThatThrownBy(() ->
                        ApiConfig.from(ConfigLoader.parse("api:\n  limits: {max-events-per-request: 0}\n", Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("api.limits.max-events-per-request");
        assertThatThrownBy(
                        () -> ApiConfig.from(Map.of("topic-blob-content-types", Map.of("nope", List.of("image/png")))))
                .hasMessageContaining("api.topic-blob-content-types.nope: names a topic the API does not serve");
    }

    @Test
    void uuidV7HasVersionAndVariantBitsAndIsTimeOrdered() throws Exception {
        String a = EventIds.uuidV7();
        Thread.sleep(2);
        String b = EventIds.uuidV7();
        assertThat(java.util.UUID.fromString(a).version()).isEqualTo(7);
        assertThat(java.util.UUID.fromString(a).variant()).isEqualTo(2);
        assertThat(a.substring(0, 13)).isLessThan(b.substring(0, 13));
    }

    /** Five different mistakes, two found by the getters and three by the record's checks across keys: all reported. */
    @Test
    void fiveMistakesGiveFiveProblemsEachWithItsKeyPath() {
        var yaml = """
                api:
                  port: 70000
                  request-timeout: 5
                  max-in-flight-bytes: 1KiB
                  topics: [bad topic]
                  routes: {/health: events}
                """;
        assertThatThrownBy(() -> ApiConfig.from(ConfigLoader.parse(yaml, Map.of())))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "api.port: must be at most 65535, was 70000",
                                        "api.request-timeout: expected " + io.streamloader.core.config.Durations.FORMS
                                                + ", was \"5\" (a bare number has no unit; write 5ms or 5s)",
                                        "api.routes: key '/health' collides with a built-in path",
                                        "api.topics: has an invalid topic name: bad topic",
                                        "api.max-in-flight-bytes: (1024) must be at least api.max-body-bytes (16777216)"));
    }
}
