package io.streamloader.sink.postgres;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.SQLInsert;

/**
 * The metadata row of one event, in table {@code events} of the sink's schema (the connection's search path).
 *
 * <p>Inserted as an upsert by id, so a redelivered event overwrites its row; {@code received_at} keeps the time of the
 * first store. Hibernate binds the parameters in the order of its insert statement: the attributes sorted by name,
 * then the id; the {@link SQLInsert} column list follows that order (checked by {@code PostgresMinioSinkIT}).
 */
@Entity
@Table(name = "events")
@SQLInsert(
        sql = "insert into events (attributes, bucket, content_type, event_time, kafka_key, kafka_offset,"
                + " kafka_partition, object_key, object_sha256, object_size, received_at, topic, id)"
                + " values (cast(? as jsonb), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (id) do update set attributes = excluded.attributes, bucket = excluded.bucket,"
                + " content_type = excluded.content_type, event_time = excluded.event_time,"
                + " kafka_key = excluded.kafka_key, kafka_offset = excluded.kafka_offset,"
                + " kafka_partition = excluded.kafka_partition, object_key = excluded.object_key,"
                + " object_sha256 = excluded.object_sha256, object_size = excluded.object_size,"
                + " topic = excluded.topic",
        verify = org.hibernate.jdbc.Expectation.None.class)
public class EventRow {
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

    @Column(name = "event_time")
    private Instant eventTime;

    @Column(name = "received_at")
    private Instant receivedAt;

    /** JSON text; cast to jsonb by the insert statement. */
    @Column(name = "attributes")
    private String attributes;

    @Column(name = "bucket")
    private String bucket;

    @Column(name = "object_key")
    private String objectKey;

    @Column(name = "object_size")
    private Long objectSize;

    @Column(name = "object_sha256")
    private String objectSha256;

    protected EventRow() {}

    EventRow(
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
        if (blob != null) {
            this.bucket = blob.bucket();
            this.objectKey = blob.key();
            this.objectSize = blob.size();
            this.objectSha256 = blob.sha256();
        }
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
