package io.streamloader.bench.postgres;

import io.streamloader.bench.KafkaLoop;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * The hand-written Kafka → PostgreSQL loop ({@link KafkaLoop}): plain JDBC ({@code reWriteBatchedInserts=true}), one
 * connection per thread, each poll one batch of the sink's upsert ({@code insert ... on conflict (id) do update}) into
 * a table like the sink's, the JSON value in its jsonb column, committed before the offsets.
 */
public final class PostgresLoop implements KafkaLoop.Writer {
    private final Connection connection;
    private final PreparedStatement upsert;

    public PostgresLoop(String jdbcUrl, String user, String password, String table) throws SQLException {
        connection = DriverManager.getConnection(jdbcUrl + "?reWriteBatchedInserts=true", user, password);
        connection.setAutoCommit(false);
        upsert = connection.prepareStatement("insert into " + table + " (id, topic, kafka_partition, kafka_offset,"
                + " kafka_key, content_type, event_time, received_at, attributes)"
                + " values (?, ?, ?, ?, ?, 'application/json', ?, now(), ?::jsonb)"
                + " on conflict (id) do update set topic = excluded.topic, kafka_partition = excluded.kafka_partition,"
                + " kafka_offset = excluded.kafka_offset, kafka_key = excluded.kafka_key,"
                + " event_time = excluded.event_time, attributes = excluded.attributes");
    }

    @Override
    public void write(ConsumerRecords<byte[], byte[]> records) throws SQLException {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            upsert.setString(1, KafkaLoop.id(record));
            upsert.setString(2, record.topic());
            upsert.setInt(3, record.partition());
            upsert.setLong(4, record.offset());
            upsert.setString(5, record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
            upsert.setTimestamp(6, new Timestamp(record.timestamp()));
            upsert.setString(7, new String(record.value(), StandardCharsets.UTF_8));
            upsert.addBatch();
        }
        upsert.executeBatch();
        connection.commit();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
