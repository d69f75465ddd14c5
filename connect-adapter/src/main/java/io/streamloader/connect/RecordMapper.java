package io.streamloader.connect;

import io.streamloader.spi.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Values;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a {@link SinkRecord} into the SPI's {@link Event} as the pipeline's mapper does for a consumed record: the
 * id is the {@value Event#ID_HEADER} header, or else {@code topic-partition-offset} of the record as it was
 * consumed (before any transform), so a sink writes the same ids inside Connect as under {@code streamloader run}.
 *
 * <p>Key and value must reach the task as bytes: {@code ByteArrayConverter} (recommended; the bytes as produced),
 * or a {@code String}. Anything else (a {@code Struct} or {@code Map} from a schema-aware converter) is refused for
 * that record with a reason naming the converter setting. Headers are decoded as UTF-8 when they are bytes
 * ({@code header.converter=ByteArrayConverter}), else rendered by Connect's {@link Values#convertToString}.
 */
final class RecordMapper {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0); // never written: events read through views

    private RecordMapper() {}

    /**
     * @throws IllegalArgumentException when the key or value is not bytes or a string
     */
    static Event toEvent(SinkRecord record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), headerValue(header));
        }
        String id = headers.get(Event.ID_HEADER);
        if (id == null || id.isBlank()) {
            id = record.originalTopic() + "-" + record.originalKafkaPartition() + "-" + record.originalKafkaOffset();
        }
        Long timestamp = record.timestamp();
        ByteBuffer value = bytes("value", record.value()); // null for a tombstone
        return Event.builder()
                .id(id)
                .topic(record.topic())
                .partition(record.originalKafkaPartition())
                .offset(record.originalKafkaOffset())
                .timestamp(Instant.ofEpochMilli(timestamp == null ? 0 : Math.max(0, timestamp)))
                .key(bytes("key", record.key()))
                .value(value == null ? EMPTY : value)
                .headers(headers)
                .contentType(headers.get(Event.CONTENT_TYPE_HEADER))
                .build();
    }

    private static ByteBuffer bytes(String what, Object data) {
        return switch (data) {
            case null -> null;
            case byte[] b -> ByteBuffer.wrap(b);
            case ByteBuffer b -> b.duplicate();
            case String s -> ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
            default ->
                throw new IllegalArgumentException(
                        "the record's " + what + " is a " + data.getClass().getName()
                                + ", not bytes: set " + what
                                + ".converter=org.apache.kafka.connect.converters.ByteArrayConverter"
                                + " on the connector");
        };
    }

    private static String headerValue(Header header) {
        Object value = header.value();
        if (value == null) {
            return "";
        }
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        String s = Values.convertToString(header.schema(), value);
        return s == null ? "" : s;
    }
}
