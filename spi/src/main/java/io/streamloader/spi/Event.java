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
 * <p>Built with {@link #builder()} (or {@link #toBuilder()} to change a few parts of an event): id, topic, partition,
 * offset, timestamp and value are required; key, headers and content type are optional and simply not set.
 *
 * <p>Key and value are not copied in: the pipeline hands the consumer's own buffers over (a copy per event was a third
 * of its allocations), and the builder takes ownership of what it is given, so callers must not modify it afterwards.
 * {@link #value()} and {@link #key()} are read-only views without a copy, as are {@link #valueSize()} and {@link
 * #valueAsString()}; {@link #valueBytes()} and {@link #keyBytes()} return copies.
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

    // Positional on purpose and private: only Builder.build() calls it, passing its fields, so the builder does not
    // escape and the JIT can drop it (an event per record is the hot path).
    private Event(
            String id,
            String topic,
            int partition,
            long offset,
            Instant timestamp,
            ByteBuffer key,
            ByteBuffer value,
            Map<String, String> headers,
            String contentType) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("event id must be set and not blank");
        }
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("event topic must be set and not empty (event " + id + ")");
        }
        if (partition < 0) {
            throw new IllegalArgumentException(
                    "event partition must be set and not negative, was " + partition + " (event " + id + ")");
        }
        if (offset < 0) {
            throw new IllegalArgumentException(
                    "event offset must be set and not negative, was " + offset + " (event " + id + ")");
        }
        if (timestamp == null) {
            throw new IllegalArgumentException("event timestamp must be set (event " + id + ")");
        }
        if (value == null) {
            throw new IllegalArgumentException(
                    "event value must be set; an empty value (a tombstone) is zero bytes (event " + id + ")");
        }
        this.id = id;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key == null ? EMPTY : key; // read only through duplicates and absolute gets: never moved
        this.value = value;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
        this.contentType = contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every part of this event (its buffers shared, not copied), to change a few of them. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.id = id;
        builder.topic = topic;
        builder.partition = partition;
        builder.offset = offset;
        builder.timestamp = timestamp;
        builder.key = key;
        builder.value = value;
        builder.headers = headers;
        builder.contentType = contentType;
        return builder;
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

    /** A read-only view of the key, without copying it; empty when the record had none. */
    public ByteBuffer key() {
        return key.asReadOnlyBuffer();
    }

    /** A copy of the key; empty when the record had none. {@link #key()} reads it without a copy. */
    public byte[] keyBytes() {
        return copy(key);
    }

    /**
     * A read-only view of the value, without copying it: what sinks should read (or {@link #valueAsString()}). Each
     * call returns a fresh view, so moving its position does not move the next one.
     */
    public ByteBuffer value() {
        return value.asReadOnlyBuffer();
    }

    /** A copy of the value, for code that needs an array it owns. {@link #value()} reads it without a copy. */
    public byte[] valueBytes() {
        return copy(value);
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

    /**
     * Builds an {@link Event}. Required: {@link #id}, {@link #topic}, {@link #partition}, {@link #offset}, {@link
     * #timestamp} and {@link #value}; {@link #build()} names the first one missing. Optional and simply left unset:
     * {@link #key} (none), {@link #headers} (none) and {@link #contentType} ({@value #DEFAULT_CONTENT_TYPE}); passing
     * null to one of those means the same as not setting it. Buffers and arrays are taken over, not copied. Not
     * thread-safe.
     */
    public static final class Builder {
        private String id;
        private String topic;
        private int partition = -1;
        private long offset = -1;
        private Instant timestamp;
        private ByteBuffer key;
        private ByteBuffer value;
        private Map<String, String> headers;
        private String contentType;

        private Builder() {}

        /** Stable identity of the event; required, never blank. */
        public Builder id(String id) {
            this.id = id;
            return this;
        }

        /** The Kafka topic it was read from; required. */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** The partition it was read from; required, not negative. */
        public Builder partition(int partition) {
            this.partition = partition;
            return this;
        }

        /** Its offset in that partition; required, not negative. */
        public Builder offset(long offset) {
            this.offset = offset;
            return this;
        }

        /** The Kafka record timestamp; required. */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /** The record key, taken over without copying; optional. */
        public Builder key(byte[] key) {
            this.key = key == null ? null : ByteBuffer.wrap(key);
            return this;
        }

        /**
         * The remaining bytes of {@code key}, taken over without copying: the event never moves its position and
         * limit, and neither may the caller afterwards. Optional.
         */
        public Builder key(ByteBuffer key) {
            this.key = key;
            return this;
        }

        /** The record value, taken over without copying; required (zero bytes for a tombstone). */
        public Builder value(byte[] value) {
            this.value = value == null ? null : ByteBuffer.wrap(value);
            return this;
        }

        /**
         * The remaining bytes of {@code value}, taken over without copying: the event never moves its position and
         * limit, and neither may the caller afterwards. Required (an empty buffer for a tombstone).
         */
        public Builder value(ByteBuffer value) {
            this.value = value;
            return this;
        }

        /** Record headers decoded as UTF-8, last value wins for repeated names; copied. Optional. */
        public Builder headers(Map<String, String> headers) {
            this.headers = headers;
            return this;
        }

        /** The value's media type; optional, {@value #DEFAULT_CONTENT_TYPE} when unset or blank. */
        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        /**
         * The event.
         *
         * @throws IllegalArgumentException naming the first required part that is missing or invalid
         */
        public Event build() {
            return new Event(id, topic, partition, offset, timestamp, key, value, headers, contentType);
        }
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
