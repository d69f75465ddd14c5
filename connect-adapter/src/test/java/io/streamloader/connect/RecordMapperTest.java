package io.streamloader.connect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.Event;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class RecordMapperTest {

    private static SinkRecord record(Object key, Object value, ConnectHeaders headers, Long timestamp) {
        // as after a RegexRouter transform: topic renamed, the consumed coordinates kept as the original ones
        return new SinkRecord(
                "renamed",
                1,
                null,
                key,
                null,
                value,
                42,
                timestamp,
                TimestampType.CREATE_TIME,
                headers,
                "orders",
                3,
                1234);
    }

    @Test
    void bytesHeadersAndTheIdHeaderAreCarriedOver() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.add("sl-event-id", "evt-1".getBytes(UTF_8), Schema.OPTIONAL_BYTES_SCHEMA);
        headers.add("content-type", "application/x-ndjson".getBytes(UTF_8), Schema.OPTIONAL_BYTES_SCHEMA);
        headers.addInt("attempt", 2);
        Event e = RecordMapper.toEvent(record("k".getBytes(UTF_8), "{\"a\":1}".getBytes(UTF_8), headers, 1700L));

        assertThat(e.id()).isEqualTo("evt-1");
        assertThat(e.topic()).isEqualTo("renamed");
        assertThat(e.partition()).isEqualTo(3);
        assertThat(e.offset()).isEqualTo(1234);
        assertThat(e.timestamp()).isEqualTo(Instant.ofEpochMilli(1700));
        assertThat(e.keyBytes()).isEqualTo("k".getBytes(UTF_8));
        assertThat(e.valueAsString()).isEqualTo("{\"a\":1}");
        assertThat(e.contentType()).isEqualTo("application/x-ndjson");
        assertThat(e.headers())
                .isEqualTo(Map.of("sl-event-id", "evt-1", "content-type", "application/x-ndjson", "attempt", "2"));
    }

    @Test
    void withoutAnIdHeaderTheIdIsTheConsumedTopicPartitionOffset() {
        Event e = RecordMapper.toEvent(record(null, "v", new ConnectHeaders(), null));
        assertThat(e.id()).isEqualTo("orders-3-1234");
        assertThat(e.keyBytes()).isEmpty();
        assertThat(e.valueAsString()).isEqualTo("v");
        assertThat(e.timestamp()).isEqualTo(Instant.EPOCH);
        assertThat(e.contentType()).isEqualTo(Event.DEFAULT_CONTENT_TYPE);
    }

    @Test
    void aBlankIdHeaderFallsBackToCoordinates() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.add("sl-event-id", " ".getBytes(UTF_8), Schema.OPTIONAL_BYTES_SCHEMA);
        assertThat(RecordMapper.toEvent(record(null, null, headers, -5L)).id()).isEqualTo("orders-3-1234");
    }

    @Test
    void aStructuredValueIsRefusedNamingTheConverterSetting() {
        assertThatThrownBy(() -> RecordMapper.toEvent(record(null, Map.of("a", 1), new ConnectHeaders(), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
    }
}
