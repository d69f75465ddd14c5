package io.streamloader.core.transform;

import static io.streamloader.core.transform.TestingEvents.event;
import static io.streamloader.core.transform.TestingEvents.json;
import static io.streamloader.core.transform.TestingEvents.problems;
import static io.streamloader.core.transform.TestingEvents.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** insert-field, rename-field and drop-field over well-formed and hostile values. */
class FieldTransformsTest {

    /** Values whose content type says JSON but which are not one JSON object. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not json",
                "[1,2]",
                "\"text\"",
                "42",
                "null",
                "{\"a\":1",
                "{\"a\":1} trailing",
                "{\"a\":1}{\"b\":2}",
                "{'a':1}",
                "{\"a\":NaN}"
            })
    void aJsonEventThatIsNotOneObjectFailsWithTheReason(String value) throws Exception {
        for (Transform t : new Transform[] {
            transform("insert-field", Map.of("field", "ts", "value", "event-time")),
            transform("rename-field", Map.of("from", "a", "to", "b")),
            transform("drop-field", Map.of("fields", "a"))
        }) {
            assertThatThrownBy(() -> t.apply(json(value)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("value is not");
        }
    }

    @Test
    void invalidUtf8IsRefusedNotReplaced() {
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        Transform t = transform("insert-field", Map.of("field", "ts", "value", "topic"));
        assertThatThrownBy(() -> t.apply(event(bad, Map.of(), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void tooDeepJsonFailsInsteadOfOverflowingTheStack() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        Transform t = transform("drop-field", Map.of("fields", "a"));
        assertThatThrownBy(() -> t.apply(json(deep))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonJsonEventsPassUnchanged() throws Exception {
        Event blob = event(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Map.of(), "image/png");
        assertThat(transform("insert-field", Map.of("field", "ts", "value", "topic"))
                        .apply(blob))
                .isSameAs(blob);
        assertThat(transform("rename-field", Map.of("from", "a", "to", "b")).apply(blob))
                .isSameAs(blob);
        assertThat(transform("drop-field", Map.of("fields", "a")).apply(blob)).isSameAs(blob);
    }

    @Test
    void insertsEventTimeInEachFormat() throws Exception {
        assertThat(insert(Map.of("field", "timestamp", "value", "event-time")))
                .isEqualTo("{\"a\":1,\"timestamp\":1774260930}");
        assertThat(insert(Map.of("field", "timestamp", "value", "event-time", "format", "epoch-millis")))
                .isEqualTo("{\"a\":1,\"timestamp\":1774260930250}");
        assertThat(insert(Map.of("field", "timestamp", "value", "event-time", "format", "iso")))
                .isEqualTo("{\"a\":1,\"timestamp\":\"2026-03-23T10:15:30.250Z\"}");
    }

    @Test
    void insertsCoordinatesKeyIdAndConstants() throws Exception {
        assertThat(insert(Map.of("field", "t", "value", "topic"))).isEqualTo("{\"a\":1,\"t\":\"orders\"}");
        assertThat(insert(Map.of("field", "p", "value", "partition"))).isEqualTo("{\"a\":1,\"p\":2}");
        assertThat(insert(Map.of("field", "o", "value", "offset"))).isEqualTo("{\"a\":1,\"o\":42}");
        assertThat(insert(Map.of("field", "k", "value", "key"))).isEqualTo("{\"a\":1,\"k\":\"k1\"}");
        assertThat(insert(Map.of("field", "i", "value", "id"))).isEqualTo("{\"a\":1,\"i\":\"id-1\"}");
        assertThat(insert(Map.of("field", "src", "value", "constant", "constant", "web")))
                .isEqualTo("{\"a\":1,\"src\":\"web\"}");
    }

    @Test
    void insertsIngestTimeAsNow() throws Exception {
        long before = Instant.now().getEpochSecond();
        String out = insert(Map.of("field", "at", "value", "ingest-time"));
        long at = Long.parseLong(out.replaceAll(".*\"at\":(\\d+).*", "$1"));
        assertThat(at).isBetween(before, Instant.now().getEpochSecond());
    }

    @Test
    void insertOverwritesByDefaultAndKeepsWhenAsked() throws Exception {
        Event e = json("{\"a\":1}");
        assertThat(value(transform("insert-field", Map.of("field", "a", "value", "offset"))
                        .apply(e)))
                .isEqualTo("{\"a\":42}");
        assertThat(transform("insert-field", Map.of("field", "a", "value", "offset", "overwrite", "false"))
                        .apply(e))
                .isSameAs(e);
    }

    @Test
    void insertIntoANestedObjectByPointerAndFailsWithoutTheParent() throws Exception {
        Transform t = transform("insert-field", Map.of("field", "/meta/ts", "value", "offset"));
        assertThat(value(t.apply(json("{\"meta\":{}}")))).isEqualTo("{\"meta\":{\"ts\":42}}");
        assertThatThrownBy(() -> t.apply(json("{\"meta\":5}"))).hasMessageContaining("no object at /meta");
        assertThatThrownBy(() -> t.apply(json("{}"))).hasMessageContaining("no object at /meta");
    }

    @Test
    void aChangedEventKeepsIdCoordinatesKeyAndHeaders() throws Exception {
        Event in = event("{\"a\":1}".getBytes(StandardCharsets.UTF_8), Map.of("h", "v"), "application/json");
        Event out = transform("insert-field", Map.of("field", "b", "value", "offset"))
                .apply(in);
        assertThat(out.id()).isEqualTo(in.id());
        assertThat(out.topic()).isEqualTo(in.topic());
        assertThat(out.partition()).isEqualTo(in.partition());
        assertThat(out.offset()).isEqualTo(in.offset());
        assertThat(out.keyBytes()).isEqualTo(in.keyBytes());
        assertThat(out.headers()).isEqualTo(in.headers());
        assertThat(out.timestamp()).isEqualTo(in.timestamp());
    }

    @Test
    void renamesAndReplacesTheTarget() throws Exception {
        Transform t = transform("rename-field", Map.of("from", "a", "to", "b"));
        assertThat(value(t.apply(json("{\"a\":{\"x\":1},\"b\":2,\"c\":3}")))).isEqualTo("{\"b\":{\"x\":1},\"c\":3}");
        Event without = json("{\"c\":3}");
        assertThat(t.apply(without)).isSameAs(without);
        Transform nested = transform("rename-field", Map.of("from", "/a/b", "to", "/c"));
        assertThat(value(nested.apply(json("{\"a\":{\"b\":1}}")))).isEqualTo("{\"a\":{},\"c\":1}");
        Transform intoMissing = transform("rename-field", Map.of("from", "a", "to", "/x/y"));
        assertThatThrownBy(() -> intoMissing.apply(json("{\"a\":1}"))).hasMessageContaining("no object at /x");
    }

    @Test
    void dropsListedFieldsAndLeavesAnEventWithoutThemAsItIs() throws Exception {
        Transform t = transform("drop-field", Map.of("fields", "a,/n/x, missing"));
        assertThat(value(t.apply(json("{\"a\":1,\"b\":2,\"n\":{\"x\":1,\"y\":2}}"))))
                .isEqualTo("{\"b\":2,\"n\":{\"y\":2}}");
        Event without = json("{\"b\":2}");
        assertThat(t.apply(without)).isSameAs(without);
    }

    @Test
    void aHugeValueIsHandled() throws Exception {
        String big = "x".repeat(8 << 20);
        Event out = transform("drop-field", Map.of("fields", "a")).apply(json("{\"a\":1,\"big\":\"" + big + "\"}"));
        assertThat(out.valueSize()).isEqualTo(big.length() + 10);
    }

    @Test
    void configProblemsNameTheKeyPath() {
        assertThat(problems("insert-field", Map.of()))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].field: is required"));
        assertThat(problems("insert-field", Map.of("field", "a", "value", "now")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].value: must be one of event-time"));
        assertThat(problems("insert-field", Map.of("field", "a", "value", "constant")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].constant: is required"));
        assertThat(problems("insert-field", Map.of("field", "a", "value", "topic", "format", "iso")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].format: is only used"));
        assertThat(problems("insert-field", Map.of("field", "a", "value", "topic", "feild", "x")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].feild: unknown key"));
        assertThat(problems("rename-field", Map.of("from", "a")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].to: is required"));
        assertThat(problems("rename-field", Map.of("from", "a", "to", "/a")))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].to: is the same field"));
        assertThat(problems("drop-field", Map.of()))
                .anyMatch(p -> p.startsWith("sinks.s.transforms[1].fields: is required"));
        assertThat(problems("insert-field", Map.of("field", "a", "value", "offset")))
                .isEmpty();
    }

    private static String insert(Map<String, String> config) throws Exception {
        return value(transform("insert-field", config).apply(json("{\"a\":1}")));
    }

    private static String value(Event e) {
        return e.valueAsString();
    }
}
