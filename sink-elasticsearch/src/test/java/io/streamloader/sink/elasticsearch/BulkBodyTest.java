package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.spi.Event;
import org.junit.jupiter.api.Test;

class BulkBodyTest {

    @Test
    void indexActionsWithIdsAndTheDocumentsAsTheyCame() {
        BulkBody body = new BulkBody(16);
        Event a = TestingEvents.event("id-\"1\"", "{\"n\": 1.50,\"s\":\"caf\u00e9\"}");
        Event b = TestingEvents.event("b", "{\n  \"pretty\": true\r\n}");
        for (Event e : new Event[] {a, b}) {
            body.add(e, BulkBody.actionPrefix("clicks-2025.03.23"), Json.quote(e.id()), e.valueBuffer());
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
}
