package io.streamloader.spi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One Kafka record as a sink sees it. Immutable; byte arrays are copied in and compared by content.
 *
 * <p>{@code id} is the producer's event id (header {@value #ID_HEADER}, set by producer-api from {@code
 * Idempotency-Key} or a UUIDv7), or else {@code topic-partition-offset}. Sinks write under {@code id}, so a redelivered
 * event overwrites its first copy instead of duplicating it.
 *
 * @param id stable identity of the event; never blank
 * @param topic the Kafka topic it was read from
 * @param partition the partition it was read from
 * @param offset its offset in that partition
 * @param timestamp the Kafka record timestamp
 * @param key the record key; empty when the record had none
 * @param value the record value; empty for a tombstone
 * @param headers record headers decoded as UTF-8, last value wins for repeated names
 * @param contentType the value's media type (header {@value #CONTENT_TYPE_HEADER}, default {@value
 *     #DEFAULT_CONTENT_TYPE})
 */
public record Event(
        String id,
        String topic,
        int partition,
        long offset,
        Instant timestamp,
        byte[] key,
        byte[] value,
        Map<String, String> headers,
        String contentType) {

    /** Header carrying the event id, written by producer-api. */
    public static final String ID_HEADER = "sl-event-id";
    /** Header carrying the value's media type. */
    public static final String CONTENT_TYPE_HEADER = "content-type";
    /** Media type assumed when a record has no {@value #CONTENT_TYPE_HEADER} header. */
    public static final String DEFAULT_CONTENT_TYPE = "application/json";

    public Event {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("event id must not be blank");
        }
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(timestamp, "timestamp");
        key = key == null ? new byte[0] : key.clone();
        value = value == null ? new byte[0] : value.clone();
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        contentType = contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
    }

    /** A copy of the key; empty when the record had none. */
    @Override
    public byte[] key() {
        return key.clone();
    }

    /** A copy of the value. Use {@link #valueSize()} or {@link #valueAsString()} to avoid the copy where possible. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** A read-only view of the value, without copying it; for sinks that stream values to a store. */
    public java.nio.ByteBuffer valueBuffer() {
        return java.nio.ByteBuffer.wrap(value).asReadOnlyBuffer();
    }

    /** The value's length in bytes, without copying it. */
    public int valueSize() {
        return value.length;
    }

    /** The value decoded as UTF-8. */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** Whether the value's media type is JSON ({@code application/json} or any {@code +json} type). */
    public boolean isJson() {
        String base = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return base.equals("application/json") || base.endsWith("+json") || base.equals("application/x-ndjson");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e
                && partition == e.partition
                && offset == e.offset
                && id.equals(e.id)
                && topic.equals(e.topic)
                && timestamp.equals(e.timestamp)
                && Arrays.equals(key, e.key)
                && Arrays.equals(value, e.value)
                && headers.equals(e.headers)
                && contentType.equals(e.contentType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, topic, partition, offset, timestamp, Arrays.hashCode(key), Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "Event[id=" + id + ", " + topic + "-" + partition + "@" + offset + ", " + value.length + " bytes "
                + contentType + "]";
    }
}
