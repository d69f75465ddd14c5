package io.streamloader.core.pipeline;

import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a consumed record into the SPI's {@link Event}. Key and value are handed over as the consumer's buffers, not
 * copied ({@code ByteBufferDeserializer} returns views into the fetched data).
 */
final class EventMapper {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0); // never written: events read through views

    private EventMapper() {}

    static Event toEvent(ConsumerRecord<ByteBuffer, ByteBuffer> record) {
        Header[] raw = record.headers().toArray();
        Map<String, String> headers;
        if (raw.length == 0) {
            headers = Map.of();
        } else {
            headers = new LinkedHashMap<>();
            for (Header header : raw) {
                if (header.key().equals(Transform.ROUTE_HEADER)) {
                    continue; // only the sink's own route transform may set it, never a producer
                }
                headers.put(
                        header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        String id = headers.get(Event.ID_HEADER);
        if (id == null || id.isBlank()) {
            id = record.topic() + "-" + record.partition() + "-" + record.offset();
        }
        return Event.builder()
                .id(id)
                .topic(record.topic())
                .partition(record.partition())
                .offset(record.offset())
                .timestamp(Instant.ofEpochMilli(Math.max(0, record.timestamp())))
                .key(record.key())
                .value(record.value() == null ? EMPTY : record.value()) // null for a tombstone
                .headers(headers)
                .contentType(headers.get(Event.CONTENT_TYPE_HEADER))
                .build();
    }

    /** Size a record occupies in a batch, for the byte bound. */
    static long sizeOf(ConsumerRecord<ByteBuffer, ByteBuffer> record) {
        return (record.key() == null ? 0 : record.key().remaining())
                + (record.value() == null ? 0 : record.value().remaining())
                + 64L; // record overhead: offsets, timestamps, headers
    }
}
