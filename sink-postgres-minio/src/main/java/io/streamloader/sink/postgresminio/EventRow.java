package io.streamloader.sink.postgresminio;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;
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
public class EventRow extends BlobColumns {
    protected EventRow() {}
}
