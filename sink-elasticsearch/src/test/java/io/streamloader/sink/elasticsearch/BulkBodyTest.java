package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.spi.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkBodyTest {

    @Test
    void indexActionsWithIdsAndTheDocumentsAsTheyCame() {
        BulkBody body = new BulkBody(16);
        Event a = TestingEvents.event("id-\"1\"", "{\"n\": 1.50,\"s\":\"caf\u00e9\"}");
        Event b = TestingEvents.event("b", "{\n  \"pretty\": true\r\n}");
        for (Event e : new Event[] {a, b}) {
            body.add(e, BulkBody.actionPrefix("clicks-2025.03.23"), Json.quote(e.id()), e.value());
        }
        String ndjson = new String(body.array(), 0, body.size(), UTF_8);
        assertThat(ndjson)
                .isEqualTo("{\"index\":{\"_index\":\"clicks-2025.03.23\",\"_id\":\"id-\\\"1\\\"\"}}\n"
                        + "{\"n\": 1.50,\"s\":\"caf\u00e9\"}\n"
                        + "{\"index\":{\"_index\":\"clicks-2025.03.23\",\"_id\":\"b\"}}\n"
                        + "{   \"pretty\": true  }\n");
        assertThat(body.docs()).isEqualTo(2);
        assertThat(body.events()).containsExactly(a, b);
        assertThat(body.size())
                .isEqualTo(a.valueSize()
                        + b.valueSize()
                        + BulkBody.overhead(BulkBody.actionPrefix("clicks-2025.03.23"), Json.quote(a.id()))
                        + BulkBody.overhead(BulkBody.actionPrefix("clicks-2025.03.23"), Json.quote(b.id())));
    }

    @Test
    void aSliceHoldsItsEventsLinesByteForByteAndCanBeSlicedAgain() {
        BulkBody body = new BulkBody(16);
        List<Event> events = TestingEvents.events(5);
        byte[] prefix = BulkBody.actionPrefix("clicks");
        for (Event e : events) {
            body.add(e, prefix, Json.quote(e.id()), e.value());
        }
        String whole = new String(body.array(), 0, body.size(), UTF_8);
        BulkBody tail = body.slice(2, 5);
        assertThat(tail.events()).containsExactlyElementsOf(events.subList(2, 5));
        String tailText = new String(tail.array(), 0, tail.size(), UTF_8);
        assertThat(whole).endsWith(tailText);
        assertThat(tailText).startsWith("{\"index\":{\"_index\":\"clicks\",\"_id\":\"e-2\"}}\n{\"n\":2}\n");
        BulkBody middle = tail.slice(1, 2);
        assertThat(new String(middle.array(), 0, middle.size(), UTF_8))
                .isEqualTo("{\"index\":{\"_index\":\"clicks\",\"_id\":\"e-3\"}}\n{\"n\":3}\n");
        assertThat(middle.events()).containsExactly(events.get(3));
        assertThat(body.slice(0, 5).size()).isEqualTo(body.size());
    }

    @Test
    void aDocumentWithARawLineBreakIsAddedOnlyWhenItIsValidJson() {
        BulkBody body = new BulkBody(16);
        Event first = TestingEvents.event("a", "{\"a\":1}");
        body.add(first, BulkBody.actionPrefix("i"), Json.quote("a"), first.value());
        int size = body.size();
        Event broken = TestingEvents.event("b", "{\"s\":\"line1\nline2\"}");
        assertThat(body.add(broken, BulkBody.actionPrefix("i"), Json.quote("b"), broken.value()))
                .isFalse();
        assertThat(body.size()).isEqualTo(size);
        assertThat(body.events()).containsExactly(first);
        Event pretty = TestingEvents.event("c", "{\n\"s\":\r\n\"x\"}");
        assertThat(body.add(pretty, BulkBody.actionPrefix("i"), Json.quote("c"), pretty.value()))
                .isTrue();
        assertThat(new String(body.array(), 0, body.size(), UTF_8))
                .isEqualTo("{\"index\":{\"_index\":\"i\",\"_id\":\"a\"}}\n{\"a\":1}\n"
                        + "{\"index\":{\"_index\":\"i\",\"_id\":\"c\"}}\n{ \"s\":  \"x\"}\n");
        assertThat(body.slice(1, 2).events()).containsExactly(pretty);
    }
}
