package io.streamloader.sink.postgresminio;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcType;
import org.hibernate.type.descriptor.jdbc.TimestampUtcAsOffsetDateTimeJdbcType;

/**
 * The columns every metadata row in table {@code events} fills, shared by the ways a row is written: {@link
 * NewEventRow} (a plain insert of an event without a blob, tried first), {@link NewBlobEventRow} (the same with the
 * blob's columns, {@link BlobColumns}) and {@link EventRow} (an upsert by id, for rows stored before). A row without a
 * blob binds only these nine columns: the blob's four are null by default, and binding them costs Hibernate and the
 * driver about as much per value as any other column.
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

    protected EventColumns() {}

    /** Sets the columns every row has: the event's metadata and its JSON attributes. */
    void assign(
            String id,
            String topic,
            int kafkaPartition,
            long kafkaOffset,
            String kafkaKey,
            String contentType,
            Instant eventTime,
            Instant receivedAt,
            String attributes) {
        this.id = id;
        this.topic = topic;
        this.kafkaPartition = kafkaPartition;
        this.kafkaOffset = kafkaOffset;
        this.kafkaKey = kafkaKey;
        this.contentType = contentType;
        this.eventTime = eventTime;
        this.receivedAt = receivedAt;
        this.attributes = attributes;
    }

    /** Where the event's blob is stored; null for a row without one. */
    StoredBlob blob() {
        return null;
    }

    /** Whether the row describes a blob: {@code blob() != null}, without building one. */
    boolean hasBlob() {
        return false;
    }

    /** This row as an upsert ({@link EventRow}), for a row that may have been stored before. */
    EventRow toUpsert() {
        EventRow row = new EventRow();
        row.assign(id, topic, kafkaPartition, kafkaOffset, kafkaKey, contentType, eventTime, receivedAt, attributes);
        row.assignBlob(blob());
        return row;
    }

    public String id() {
        return id;
    }

    public String attributes() {
        return attributes;
    }

    public String objectKey() {
        StoredBlob blob = blob();
        return blob == null ? null : blob.key();
    }
}
