package io.streamloader.spi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class EventTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    /** Every required part set; {@code value} as given. */
    private static Event.Builder required(byte[] value) {
        return Event.builder()
                .id("e1")
                .topic("t")
                .partition(0)
                .offset(5)
                .timestamp(T)
                .value(value);
    }

    @Test
    void aBufferEventReadsOnlyTheRemainingBytesAndLeavesTheBufferAsItWas() {
        ByteBuffer fetched = ByteBuffer.wrap("xx{\"a\":1}yy".getBytes(UTF_8));
        fetched.position(2).limit(9);

        Event event = Event.builder()
                .id("e1")
                .topic("t")
                .partition(0)
                .offset(5)
                .timestamp(T)
                .value(fetched)
                .build();

        assertThat(event.valueAsString()).isEqualTo("{\"a\":1}");
        assertThat(event.valueSize()).isEqualTo(7);
        assertThat(event.valueBytes()).isEqualTo("{\"a\":1}".getBytes(UTF_8));
        assertThat(event.value()).isEqualTo(ByteBuffer.wrap("{\"a\":1}".getBytes(UTF_8)));
        assertThat(event.keyBytes()).isEmpty();
        assertThat(event.key().remaining()).isZero();
        assertThat(fetched.position()).isEqualTo(2);
        assertThat(fetched.limit()).isEqualTo(9);
    }

    @Test
    void optionalPartsLeftUnsetMeanNoKeyNoHeadersAndJson() {
        Event event = required("{}".getBytes(UTF_8)).build();

        assertThat(event.key().remaining()).isZero();
        assertThat(event.headers()).isEmpty();
        assertThat(event.contentType()).isEqualTo(Event.DEFAULT_CONTENT_TYPE);
        assertThat(event.isJson()).isTrue();
        assertThat(required("{}".getBytes(UTF_8))
                        .key((byte[]) null)
                        .headers(null)
                        .contentType(null)
                        .build())
                .as("null for an optional part is the same as not setting it")
                .isEqualTo(event);
    }

    @Test
    void thePlainAccessorsAreReadOnlyViewsAndTheBytesAccessorsCopies() {
        byte[] value = "{}".getBytes(UTF_8);
        byte[] key = "k".getBytes(UTF_8);
        Event event = required(value).key(key).build();

        ByteBuffer view = event.value();
        assertThat(view.isReadOnly()).isTrue();
        assertThat(event.key().isReadOnly()).isTrue();
        assertThatThrownBy(() -> view.put(0, (byte) 'X')).isInstanceOf(ReadOnlyBufferException.class);
        assertThatThrownBy(() -> event.key().put(0, (byte) 'X')).isInstanceOf(ReadOnlyBufferException.class);
        view.position(1); // a sink moving its view does not move the next one
        assertThat(event.value().remaining()).isEqualTo(2);

        value[0] = '['; // the view shares the caller's array: no copy was made
        assertThat(event.value().get(0)).isEqualTo((byte) '[');

        byte[] copy = event.valueBytes();
        copy[0] = 'X';
        event.keyBytes()[0] = 'X';
        assertThat(event.valueAsString()).isEqualTo("[}");
        assertThat(event.keyBytes()).isEqualTo("k".getBytes(UTF_8));
    }

    @Test
    void eventsAreEqualByContentWhateverTheyWereBuiltFrom() {
        Event fromArrays = Event.builder()
                .id("e1")
                .topic("t")
                .partition(1)
                .offset(7)
                .timestamp(T)
                .key("k".getBytes(UTF_8))
                .value("v".getBytes(UTF_8))
                .contentType("")
                .build();
        Event fromBuffers = Event.builder()
                .id("e1")
                .topic("t")
                .partition(1)
                .offset(7)
                .timestamp(T)
                .key(ByteBuffer.wrap("_k".getBytes(UTF_8)).position(1))
                .value(ByteBuffer.wrap("v".getBytes(UTF_8)))
                .contentType(Event.DEFAULT_CONTENT_TYPE)
                .build();

        assertThat(fromBuffers).isEqualTo(fromArrays).hasSameHashCodeAs(fromArrays);
        assertThat(fromArrays.toBuilder().value("w".getBytes(UTF_8)).build()).isNotEqualTo(fromArrays);
    }

    @Test
    void toBuilderKeepsEveryPartAndSharesTheBuffers() {
        byte[] value = "{\"a\":1}".getBytes(UTF_8);
        Event event = required(value)
                .key("k".getBytes(UTF_8))
                .headers(Map.of("h", "1"))
                .contentType("application/cloudevents+json")
                .build();

        assertThat(event.toBuilder().build()).isEqualTo(event);
        Event renamed = event.toBuilder().id("e2").build();
        assertThat(renamed.id()).isEqualTo("e2");
        assertThat(renamed.toBuilder().id("e1").build()).isEqualTo(event);
        value[0] = '['; // both events read the same bytes
        assertThat(renamed.valueAsString()).startsWith("[");
    }

    @Test
    void headersAreCopiedSoTheCallerCannotChangeThemAfterwards() {
        Map<String, String> headers = new HashMap<>(Map.of("h", "1"));
        Event event = required(new byte[0]).headers(headers).build();

        headers.put("h", "2");

        assertThat(event.headers()).containsExactly(Map.entry("h", "1"));
    }

    @Test
    void eachMissingOrInvalidRequiredPartIsRefusedByName() {
        Map<String, UnaryOperator<Event.Builder>> broken = Map.of(
                "event id", b -> b.id(null),
                "event id ", b -> b.id(" "),
                "event topic", b -> b.topic(null),
                "event topic ", b -> b.topic(""),
                "event partition", b -> b.partition(-1),
                "event offset", b -> b.offset(-1),
                "event timestamp", b -> b.timestamp(null),
                "event value", b -> b.value((byte[]) null));
        broken.forEach((part, breaks) -> assertThatThrownBy(
                        () -> breaks.apply(required(new byte[0])).build())
                .as(part)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(part.trim() + " must be set"));
        assertThatThrownBy(() -> Event.builder().build()).hasMessageStartingWith("event id must be set");
        assertThatThrownBy(() -> Event.builder().id("e1").topic("t").build())
                .hasMessageStartingWith("event partition must be set");
        assertThatThrownBy(() -> Event.builder()
                        .id("e1")
                        .topic("t")
                        .partition(0)
                        .offset(0)
                        .timestamp(T)
                        .build())
                .hasMessageStartingWith("event value must be set")
                .hasMessageContaining("e1");
    }

    @Test
    void jsonIsRecognisedByTheMediaTypeWhateverItsCaseAndParameters() {
        for (String json : new String[] {
            "",
            "application/json",
            "Application/JSON",
            " application/json ; charset=utf-8",
            "application/cloudevents+json",
            "application/x-ndjson"
        }) {
            assertThat(required(new byte[0]).contentType(json).build().isJson())
                    .as(json)
                    .isTrue();
        }
        for (String other : new String[] {"image/png", "text/plain", "application/jsonx", "application/json-seq"}) {
            assertThat(required(new byte[0]).contentType(other).build().isJson())
                    .as(other)
                    .isFalse();
        }
    }
}
