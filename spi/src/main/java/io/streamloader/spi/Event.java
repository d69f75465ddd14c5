package io.streamloader.spi;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One Kafka record as a sink sees it. Immutable and compared by content.
 *
 * <p>{@code id} is the producer's event id (header {@value #ID_HEADER}, set by producer-api from {@code
 * Idempotency-Key} or a UUIDv7), or else {@code topic-partition-offset}. Sinks write under {@code id}, so a redelivered
 * event overwrites its first copy instead of duplicating it.
 *
 * <p>Key and value are not copied in: the pipeline hands the consumer's own buffers over (a copy per event was a third
 * of its allocations), and the constructors take ownership of what they are given, so callers must not modify it
 * afterwards. {@link #key()} and {@link #value()} return copies; {@link #valueBuffer()}, {@link #valueSize()} and
 * {@link #valueAsString()} read without one and are what sinks on a hot path should use.
 */
public final class Event {

    /** Header carrying the event id, written by producer-api. */
    public static final String ID_HEADER = "sl-event-id";
    /** Header carrying the value's media type. */
    public static final String CONTENT_TYPE_HEADER = "content-type";
    /** Media type assumed when a record has no {@value #CONTENT_TYPE_HEADER} header. */
    public static final String DEFAULT_CONTENT_TYPE = "application/json";

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final String id;
    private final String topic;
    private final int partition;
    private final long offset;
    private final Instant timestamp;
    private final ByteBuffer key;
    private final ByteBuffer value;
    private final Map<String, String> headers;
    private final String contentType;

    /**
     * An event over byte arrays, which it takes over without copying.
     *
     * @param id stable identity of the event; never blank
     * @param topic the Kafka topic it was read from
     * @param partition the partition it was read from
     * @param offset its offset in that partition
     * @param timestamp the Kafka record timestamp
     * @param key the record key; null or empty when the record had none
     * @param value the record value; null or empty for a tombstone
     * @param headers record headers decoded as UTF-8, last value wins for repeated names; null for none
     * @param contentType the value's media type; null or blank for {@value #DEFAULT_CONTENT_TYPE}
     */
    public Event(
            String id,
            String topic,
            int partition,
            long offset,
            Instant timestamp,
            byte[] key,
            byte[] value,
            Map<String, String> headers,
            String contentType) {
        this(
                id,
                topic,
                partition,
                offset,
                timestamp,
                key == null ? null : ByteBuffer.wrap(key),
                value == null ? null : ByteBuffer.wrap(value),
                headers,
                contentType);
    }

    /**
     * An event over the remaining bytes of buffers, which it takes over without copying: it never moves their
     * positions and limits, and neither may the caller afterwards. Same parameters as {@link #Event(String, String, int, long, Instant, byte[], byte[], Map,
     * String)}.
     */
    public Event(
            String id,
            String topic,
            int partition,
            long offset,
            Instant timestamp,
            ByteBuffer key,
            ByteBuffer value,
            Map<String, String> headers,
            String contentType) {
        this.id = Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("event id must not be blank");
        }
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
        this.offset = offset;
        this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
        this.key = key == null ? EMPTY : key; // read only through duplicates and absolute gets: never moved
        this.value = value == null ? EMPTY : value;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
        this.contentType = contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
    }

    /** Stable identity of the event; never blank. */
    public String id() {
        return id;
    }

    /** The Kafka topic it was read from. */
    public String topic() {
        return topic;
    }

    /** The partition it was read from. */
    public int partition() {
        return partition;
    }

    /** Its offset in that partition. */
    public long offset() {
        return offset;
    }

    /** The Kafka record timestamp. */
    public Instant timestamp() {
        return timestamp;
    }

    /** A copy of the key; empty when the record had none. */
    public byte[] key() {
        return copy(key);
    }

    /** A copy of the value. Use {@link #valueBuffer()} or {@link #valueAsString()} to avoid the copy. */
    public byte[] value() {
        return copy(value);
    }

    /** A read-only view of the value, without copying it; for sinks that stream values to a store. */
    public ByteBuffer valueBuffer() {
        return value.asReadOnlyBuffer();
    }

    /** The value's length in bytes, without copying it. */
    public int valueSize() {
        return value.remaining();
    }

    /** The value decoded as UTF-8. */
    public String valueAsString() {
        return value.hasArray()
                ? new String(value.array(), value.arrayOffset() + value.position(), value.remaining(), UTF_8)
                : UTF_8.decode(value.duplicate()).toString();
    }

    /** Record headers decoded as UTF-8, last value wins for repeated names. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The value's media type (header {@value #CONTENT_TYPE_HEADER}, default {@value #DEFAULT_CONTENT_TYPE}). */
    public String contentType() {
        return contentType;
    }

    /** Whether the value's media type is JSON ({@code application/json} or any {@code +json} type). */
    public boolean isJson() {
        if (contentType.equals(DEFAULT_CONTENT_TYPE)) {
            return true; // nearly every event: no split or lower-casing per event
        }
        String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return base.equals("application/json") || base.endsWith("+json") || base.equals("application/x-ndjson");
    }

    private static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e
                && partition == e.partition
                && offset == e.offset
                && id.equals(e.id)
                && topic.equals(e.topic)
                && timestamp.equals(e.timestamp)
                && key.equals(e.key)
                && value.equals(e.value)
                && headers.equals(e.headers)
                && contentType.equals(e.contentType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, topic, partition, offset, timestamp, key, value);
    }

    @Override
    public String toString() {
        return "Event[id=" + id + ", " + topic + "-" + partition + "@" + offset + ", " + value.remaining() + " bytes "
                + contentType + "]";
    }
}
