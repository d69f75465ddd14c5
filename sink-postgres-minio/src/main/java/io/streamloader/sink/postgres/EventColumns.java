package io.streamloader.sink.postgres;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcType;
import org.hibernate.type.descriptor.jdbc.TimestampUtcAsOffsetDateTimeJdbcType;

/**
 * The columns of an event's metadata row in table {@code events}, shared by the two ways a row is written: {@link
 * NewEventRow} (a plain insert, tried first) and {@link EventRow} (an upsert by id, for rows stored before).
 */
@MappedSuperclass
abstract class EventColumns {
    @Id
    @Column(name = "id")
    private String id;

    @Column(name = "topic")
    private String topic;

    @Column(name = "kafka_partition")
    private int kafkaPartition;

    @Column(name = "kafka_offset")
    private long kafkaOffset;

    @Column(name = "kafka_key")
    private String kafkaKey;

    @Column(name = "content_type")
    private String contentType;

    // bound as OffsetDateTime: Hibernate's default for Instant on PostgreSQL goes through a GregorianCalendar per value
    @Column(name = "event_time")
    @JdbcType(TimestampUtcAsOffsetDateTimeJdbcType.class)
    private Instant eventTime;

    @Column(name = "received_at")
    @JdbcType(TimestampUtcAsOffsetDateTimeJdbcType.class)
    private Instant receivedAt;

    /** JSON text; cast to jsonb by the insert statement. */
    @Column(name = "attributes")
    @ColumnTransformer(write = "cast(? as jsonb)")
    private String attributes;

    @Column(name = "bucket")
    private String bucket;

    @Column(name = "object_key")
    private String objectKey;

    @Column(name = "object_size")
    private Long objectSize;

    @Column(name = "object_sha256")
    private String objectSha256;

    protected EventColumns() {}

    /** Sets every column: the event's metadata, its JSON attributes, and where its blob is stored if it has one. */
    void assign(
            String id,
            String topic,
            int kafkaPartition,
            long kafkaOffset,
            String kafkaKey,
            String contentType,
            Instant eventTime,
            Instant receivedAt,
            String attributes,
            StoredBlob blob) {
        this.id = id;
        this.topic = topic;
        this.kafkaPartition = kafkaPartition;
        this.kafkaOffset = kafkaOffset;
        this.kafkaKey = kafkaKey;
        this.contentType = contentType;
        this.eventTime = eventTime;
        this.receivedAt = receivedAt;
        this.attributes = attributes;
        this.bucket = blob == null ? null : blob.bucket();
        this.objectKey = blob == null ? null : blob.key();
        this.objectSize = blob == null ? null : blob.size();
        this.objectSha256 = blob == null ? null : blob.sha256();
    }

    /** {@code row} with this row's columns: the same row for the other way of writing it. */
    <T extends EventColumns> T copyTo(T row) {
        StoredBlob blob = bucket == null ? null : new StoredBlob(bucket, objectKey, objectSize, objectSha256);
        row.assign(
                id, topic, kafkaPartition, kafkaOffset, kafkaKey, contentType, eventTime, receivedAt, attributes, blob);
        return row;
    }

    public String id() {
        return id;
    }

    public String attributes() {
        return attributes;
    }

    public String objectKey() {
        return objectKey;
    }
}
