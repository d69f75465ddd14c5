package io.streamloader.bench.postgres;

import io.streamloader.bench.connect.ConnectWorker;
import io.streamloader.bench.connect.ConnectWorker.Measured;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Connect peer: the Debezium JDBC sink connector in a standalone Connect worker (a child JVM). */
final class DebeziumRows {
    private DebeziumRows() {}

    /**
     * The same JSON objects as Kafka records in the JsonConverter envelope with a schema ({@code schemas.enable=true}),
     * which the Debezium JDBC sink needs: it maps Connect structs to columns and cannot take schemaless JSON.
     */
    static void produceEnveloped(PostgresRun run, String topic) throws Exception {
        byte[][] json = run.json;
        String schema = "{\"schema\":{\"type\":\"struct\",\"name\":\"bench.Event\",\"optional\":false,\"fields\":["
                + "{\"field\":\"id\",\"type\":\"int64\",\"optional\":false},"
                + "{\"field\":\"type\",\"type\":\"string\",\"optional\":true},"
                + "{\"field\":\"user\",\"type\":\"string\",\"optional\":true},"
                + "{\"field\":\"payload\",\"type\":\"string\",\"optional\":true}]},\"payload\":";
        byte[][] enveloped = new byte[json.length][];
        for (int i = 0; i < json.length; i++) {
            enveloped[i] =
                    (schema + new String(json[i], StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
        }
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                run.kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<?>> window = new ArrayList<>();
            for (int i = 0; i < run.options.rows; i++) {
                window.add(producer.send(new ProducerRecord<>(topic, enveloped[i % enveloped.length])));
                if (window.size() == 50_000) {
                    for (Future<?> f : window) {
                        f.get();
                    }
                    window.clear();
                }
            }
            for (Future<?> f : window) {
                f.get();
            }
        }
    }

    /**
     * The connector on the enveloped topic into a fresh table of the public schema, its own consumer group from the
     * earliest offset. {@code tuned}: reWriteBatchedInserts.
     */
    static double write(PostgresRun run, String topic, String table, int tasks, boolean tuned) throws Exception {
        table = table + "_" + (System.currentTimeMillis() % 100_000);
        Map<String, String> connector = new HashMap<>();
        connector.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        connector.put("tasks.max", Integer.toString(tasks));
        connector.put("topics", topic);
        connector.put("connection.url", run.pg.jdbcUrl() + (tuned ? "?reWriteBatchedInserts=true" : ""));
        connector.put("connection.username", run.pg.user());
        connector.put("connection.password", run.pg.password());
        connector.put("schema.evolution", "basic"); // let it create the table (default none expects one)
        connector.put("quote.identifiers", "true"); // the payload has a field named user
        connector.put("collection.name.format", table);
        connector.put("table.name.format", table); // the pre-3.0 name of the same setting
        String name = "debezium-jdbc-" + table;
        String count = "select count(*) from public.\"" + table + "\"";
        Map<String, String> worker = Map.of(
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "true");
        try (Connection c = run.connection();
                ConnectWorker w = ConnectWorker.start(
                        name,
                        run.kafka.bootstrapServers(),
                        ConnectWorker.DEBEZIUM_JDBC_PLUGIN,
                        run.options.connectHeap,
                        worker,
                        connector)) {
            Measured m = w.measure(() -> count(c, count), run.options.rows, 250);
            run.window(
                    "Debezium JDBC sink " + ConnectWorker.DEBEZIUM_VERSION
                            + (tuned ? ", tasks.max=" + tasks + ", reWriteBatchedInserts" : " (defaults, tasks.max=1)"),
                    m.records(),
                    m.firstNanos(),
                    m.lastNanos());
            return m.perSecond();
        } finally {
            try (Connection c = run.connection();
                    Statement st = c.createStatement()) {
                st.execute("drop table if exists public.\"" + table + "\"");
            }
        }
    }

    private static long count(Connection c, String sql) {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0; // the connector has not created the table yet
        }
    }
}
