package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class EventFilterTest {
    private static final EventFilter TELEMETRY =
            EventFilter.of(new EventFilter.Pointer("/vin"), new EventFilter.Exists(), true);

    private static Event json(String value) {
        return event(value, Map.of());
    }

    private static Event event(String value, Map<String, String> headers) {
        return Event.builder()
                .id("id")
                .topic("events")
                .partition(0)
                .offset(1)
                .timestamp(Instant.EPOCH)
                .value(value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8)) // null: a tombstone
                .headers(headers)
                .contentType(headers.get(Event.CONTENT_TYPE_HEADER))
                .build();
    }

    @Test
    void allTakesEverything() {
        assertThat(EventFilter.ALL.takesAll()).isTrue();
        assertThat(EventFilter.ALL.accepts(json("not json"))).isTrue();
        assertThat(EventFilter.ALL.accepts(json(null))).isTrue();
    }

    @Test
    void pointerExistsKeepsTelemetryOnly() {
        assertThat(TELEMETRY.accepts(json("{\"vin\":\"ABCDEF0123456789J\",\"speed\":85.6}")))
                .isTrue();
        assertThat(TELEMETRY.accepts(json("{\"vin\":null}"))).isTrue();
        assertThat(TELEMETRY.accepts(json("{\"user\":\"alice\",\"action\":\"login\"}")))
                .isFalse();
        assertThat(TELEMETRY.accepts(json("[\"vin\"]"))).isFalse();
        assertThat(TELEMETRY.accepts(json(""))).isFalse();
        assertThat(TELEMETRY.accepts(json(null))).isFalse();
    }

    @Test
    void hostileValuesAreNeverAMatchAndNeverThrow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        String deepObject = "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000);
        for (String hostile : new String[] {
            "{",
            "{\"vin\":",
            "\u0000\u0001",
            deep,
            deepObject,
            "{\"vin\":1}trailing",
            "\"vin\"",
            "{\"vin\":\"\\ud800\"}x"
        }) {
            EventFilter equals =
                    EventFilter.of(new EventFilter.Pointer("/a"), new EventFilter.Equals(Set.of("1")), true);
            assertThat(equals.accepts(json(hostile)))
                    .as(hostile.substring(0, Math.min(20, hostile.length())))
                    .isFalse();
        }
        Event binary = event("{\"vin\":\"x\"}", Map.of(Event.CONTENT_TYPE_HEADER, "image/png"));
        assertThat(TELEMETRY.accepts(binary))
                .as("a binary value has no JSON fields")
                .isFalse();
    }

    @Test
    void equalsComparesScalarsAsText() {
        EventFilter type = EventFilter.of(
                new EventFilter.Pointer("/type"), new EventFilter.Equals(Set.of("telemetry", "42", "true")), true);
        assertThat(type.accepts(json("{\"type\":\"telemetry\"}"))).isTrue();
        assertThat(type.accepts(json("{\"type\":42}"))).isTrue();
        assertThat(type.accepts(json("{\"type\":true}"))).isTrue();
        assertThat(type.accepts(json("{\"type\":\"click\"}"))).isFalse();
        assertThat(type.accepts(json("{\"type\":{\"telemetry\":1}}"))).isFalse();
        assertThat(type.accepts(json("{\"other\":\"telemetry\"}"))).isFalse();
    }

    @Test
    void nestedPointersAndArrayIndexes() {
        EventFilter nested =
                EventFilter.of(new EventFilter.Pointer("/meta/tags/1"), new EventFilter.Equals(Set.of("fleet")), true);
        assertThat(nested.accepts(json("{\"meta\":{\"tags\":[\"a\",\"fleet\"]}}")))
                .isTrue();
        assertThat(nested.accepts(json("{\"meta\":{\"tags\":[\"fleet\"]}}"))).isFalse();
    }

    @Test
    void headersAndRegexAndDrop() {
        EventFilter jsonOnly = EventFilter.of(
                new EventFilter.Header(Event.CONTENT_TYPE_HEADER),
                new EventFilter.Matches(Pattern.compile("application/(.+\\+)?json.*")),
                true);
        assertThat(jsonOnly.accepts(event("{}", Map.of(Event.CONTENT_TYPE_HEADER, "application/json"))))
                .isTrue();
        assertThat(jsonOnly.accepts(event("{}", Map.of(Event.CONTENT_TYPE_HEADER, "application/ld+json"))))
                .isTrue();
        assertThat(jsonOnly.accepts(event("x", Map.of(Event.CONTENT_TYPE_HEADER, "image/png"))))
                .isFalse();
        assertThat(jsonOnly.accepts(event("{}", Map.of())))
                .as("no header: the regex has nothing to match")
                .isFalse();

        EventFilter noTelemetry = EventFilter.of(new EventFilter.Pointer("/vin"), new EventFilter.Exists(), false);
        assertThat(noTelemetry.accepts(json("{\"vin\":\"V\"}"))).isFalse();
        assertThat(noTelemetry.accepts(json("{\"user\":\"alice\"}"))).isTrue();
        assertThat(noTelemetry.accepts(json("not json"))).isTrue();
    }

    @Test
    void equalityComparesRegexBySource() {
        assertThat(EventFilter.of(new EventFilter.Header("h"), new EventFilter.Matches(Pattern.compile("a.*")), true))
                .isEqualTo(EventFilter.of(
                        new EventFilter.Header("h"), new EventFilter.Matches(Pattern.compile("a.*")), true))
                .isNotEqualTo(EventFilter.of(
                        new EventFilter.Header("h"), new EventFilter.Matches(Pattern.compile("a.*")), false));
    }
}
