package io.streamloader.spi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void aBufferEventReadsOnlyTheRemainingBytesAndLeavesTheBufferAsItWas() {
        ByteBuffer fetched = ByteBuffer.wrap("xx{\"a\":1}yy".getBytes(UTF_8));
        fetched.position(2).limit(9);

        Event event = new Event("e1", "t", 0, 5, T, null, fetched, Map.of(), null);

        assertThat(event.valueAsString()).isEqualTo("{\"a\":1}");
        assertThat(event.valueSize()).isEqualTo(7);
        assertThat(event.value()).isEqualTo("{\"a\":1}".getBytes(UTF_8));
        assertThat(event.key()).isEmpty();
        assertThat(fetched.position()).isEqualTo(2);
        assertThat(fetched.limit()).isEqualTo(9);
    }

    @Test
    void sinksCannotChangeTheValueTheyAreGiven() {
        Event event = new Event("e1", "t", 0, 5, T, null, "{}".getBytes(UTF_8), null, null);

        event.value()[0] = 'X';
        ByteBuffer view = event.valueBuffer();

        assertThat(view.isReadOnly()).isTrue();
        assertThatThrownBy(() -> view.put(0, (byte) 'X')).isInstanceOf(ReadOnlyBufferException.class);
        view.position(1); // a sink moving its view does not move the next one
        assertThat(event.valueAsString()).isEqualTo("{}");
        assertThat(event.valueBuffer().remaining()).isEqualTo(2);
    }

    @Test
    void eventsAreEqualByContentWhateverTheyWereBuiltFrom() {
        Event fromArrays = new Event("e1", "t", 1, 7, T, "k".getBytes(UTF_8), "v".getBytes(UTF_8), Map.of(), "");
        Event fromBuffers = new Event(
                "e1",
                "t",
                1,
                7,
                T,
                ByteBuffer.wrap("_k".getBytes(UTF_8)).position(1),
                ByteBuffer.wrap("v".getBytes(UTF_8)),
                null,
                Event.DEFAULT_CONTENT_TYPE);

        assertThat(fromBuffers).isEqualTo(fromArrays).hasSameHashCodeAs(fromArrays);
        assertThat(new Event("e1", "t", 1, 7, T, null, "w".getBytes(UTF_8), null, null))
                .isNotEqualTo(fromArrays);
    }

    @Test
    void aBlankIdIsRefused() {
        assertThatThrownBy(() -> new Event(" ", "t", 0, 0, T, (byte[]) null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id");
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
            assertThat(new Event("e1", "t", 0, 0, T, null, new byte[0], null, json).isJson())
                    .as(json)
                    .isTrue();
        }
        for (String other : new String[] {"image/png", "text/plain", "application/jsonx", "application/json-seq"}) {
            assertThat(new Event("e1", "t", 0, 0, T, null, new byte[0], null, other).isJson())
                    .as(other)
                    .isFalse();
        }
    }
}
