package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.core.config.ConfigException;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.ConfigNode;
import io.streamloader.core.config.ConfigProblems;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ApiConfigBinder}: every problem of the {@code api:} section at once, each under its own key path. */
class ApiConfigBinderTest {

    private static List<String> problems(Map<String, ?> api) {
        try {
            ApiConfig.from(api);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems for " + api);
    }

    @Test
    void fiveWrongKeysGiveFiveProblemsEachUnderItsKey() {
        var found = problems(Map.of(
                "port", 70_000, // the getter's range
                "request-timeout", "soon", // the getter's grammar
                "topics", List.of("bad topic"), // the record's check
                "blob-content-types", List.of("not a type"), // the record's check
                "limits", Map.of("idle-timeout", "1ms"))); // RequestLimits' check
        assertThat(found)
                .hasSize(5)
                .anyMatch(p -> p.startsWith("api.port: "))
                .anyMatch(p -> p.startsWith("api.request-timeout: "))
                .anyMatch(p -> p.equals("api.topics: has an invalid topic name: bad topic"))
                .anyMatch(p -> p.equals("api.blob-content-types: has an invalid media type: not a type"))
                .anyMatch(p -> p.equals("api.limits.idle-timeout: must be between 100ms and 1h, got PT0.001S"));
    }

    @Test
    void unknownKeysAreProblemsAlongsideTheOthers() {
        assertThat(problems(Map.of("request-timout", "1s", "port", -1, "limits", Map.of("max-conections", 5))))
                .hasSize(3)
                .anyMatch(p -> p.startsWith("api.request-timout: ") && p.contains("request-timeout"))
                .anyMatch(p -> p.startsWith("api.port: "))
                .anyMatch(p -> p.startsWith("api.limits.max-conections: "));
    }

    @Test
    void everyLimitIsCheckedNotOnlyTheFirst() {
        assertThatThrownBy(() -> new RequestLimits(0, 0, 1, 0, Duration.ofMillis(1), -1))
                .isInstanceOfSatisfying(
                        ApiConfigProblems.Invalid.class,
                        e -> assertThat(e.problems())
                                .extracting(Map.Entry::getKey)
                                .containsExactly(
                                        "api.limits.max-events-per-request",
                                        "api.limits.max-form-fields",
                                        "api.limits.max-nesting-depth",
                                        "api.limits.max-connections",
                                        "api.limits.idle-timeout",
                                        "api.limits.min-request-data-rate"));
    }

    @Test
    void keyProblemsNameTheKeyEntry() {
        var found = problems(Map.of(
                "keys",
                Map.of(
                        "a", Map.of("key", "a-long-enough-api-key", "rate", 5, "burst", 0),
                        "b", Map.of("key", "b-long-enough-api-key", "topics", List.of()))));
        assertThat(found)
                .containsExactlyInAnyOrder(
                        "api.keys.a.burst: must be at least 1, got 0",
                        "api.keys.b.topics: is empty; use [\"*\"] for all");
    }

    @Test
    void twoKeysWithOneSecretAreAProblemOfTheSecondKey() {
        assertThat(problems(Map.of(
                        "keys",
                        new java.util.TreeMap<>(Map.of(
                                "a", Map.of("key", "same-long-enough-api-key"),
                                "b", Map.of("key", "same-long-enough-api-key"))))))
                .containsExactly("api.keys.b: has the same secret as another key");
    }

    @Test
    void aMessageIsFiledUnderTheKeyPathItStartsWithInsideTheNode() {
        var problems = new ConfigProblems();
        var root = ConfigNode.root(BodyParser.MAPPER.createObjectNode(), problems);
        var tls = root.section("api").section("tls");
        ApiConfigBinder.report(tls, "api.tls.cert: /x holds no PEM certificate");
        ApiConfigBinder.report(tls, "api.keys.a names another section");
        ApiConfigBinder.report(root.section("api").section("limits"), "no key path here");
        assertThat(problems.list())
                .containsExactly(
                        "api.tls.cert: /x holds no PEM certificate",
                        "api.tls: api.keys.a names another section",
                        "api.limits: no key path here");
    }

    @Test
    void anEmptyMappingBindsTheDefaults() {
        assertThat(ApiConfig.from(Map.of())).isEqualTo(ApiConfig.defaults());
        assertThat(ApiConfig.from(ConfigLoader.parse("api: {}", Map.of()))).isEqualTo(ApiConfig.defaults());
    }

    @Test
    void everyKeyMapsToItsComponent() {
        var c = ApiConfig.from(Map.ofEntries(
                Map.entry("host", "localhost"),
                Map.entry("port", 9000),
                Map.entry("routes", Map.of("/in", "clicks")),
                Map.entry("topics", List.of("images")),
                Map.entry("max-body-bytes", "1KiB"),
                Map.entry("max-in-flight-bytes", "2KiB"),
                Map.entry("request-timeout", "250ms"),
                Map.entry("retry-after", "3s"),
                Map.entry("id-field", "uid"),
                Map.entry("key-field", "vin"),
                Map.entry("blob-content-types", List.of("image/*")),
                Map.entry("positional-topics", List.of("clicks")),
                Map.entry("topic-blob-content-types", Map.of("images", List.of("image/png"))),
                Map.entry("limits", Map.of("max-events-per-request", 7))));
        assertThat(c.host()).isEqualTo("localhost");
        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.routes()).isEqualTo(Map.of("/in", "clicks"));
        assertThat(c.allTopics()).containsExactly("clicks", "images");
        assertThat(c.maxBodyBytes()).isEqualTo(1024);
        assertThat(c.maxInFlightBytes()).isEqualTo(2048);
        assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.retryAfterSeconds()).isEqualTo(3);
        assertThat(c.idField()).contains("uid");
        assertThat(c.keyField()).contains("vin");
        assertThat(c.blobContentTypes()).containsExactly("image/*");
        assertThat(c.positional("clicks")).isTrue();
        assertThat(c.blobContentTypes("images")).containsExactly("image/png");
        assertThat(c.limits().maxEventsPerRequest()).isEqualTo(7);
    }

    @Test
    void aWithCopyChangesOneThingAndIsCheckedAgain() {
        var base = ApiConfig.from(Map.of("topics", List.of("clicks")));
        var limits = new RequestLimits(10, 10, 10, 10, Duration.ofSeconds(1), 0);
        var limited = base.withLimits(limits);
        assertThat(limited.limits()).isEqualTo(limits);
        assertThat(limited.withLimits(base.limits())).isEqualTo(base);
        assertThat(base.withProtectedTopics(Set.of("other")).protectedTopics()).containsExactly("other");
        assertThatThrownBy(() -> base.withProtectedTopics(Set.of("clicks")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("api.topics lists 'clicks'");
    }
}
