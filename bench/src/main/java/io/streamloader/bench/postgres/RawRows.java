package io.streamloader.bench.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The raw JDBC rows: the same rows the sink writes, as plain batched inserts ({@code reWriteBatchedInserts=true},
 * commit per batch) into a copy of its table; with {@code upsert}, as the sink's own statement ({@code on conflict (id)
 * do update}, all its columns), which shows what the upsert costs PostgreSQL apart from what the sink adds.
 */
final class RawRows {
    private RawRows() {}

    /** With several {@code connections}, each writes its share of the rows from its own thread, as workers would. */
    static double write(PostgresRun run, String schema, boolean upsert, int connections) throws Exception {
        int rows = run.options.rows;
        int batch = run.options.batch;
        byte[][] json = run.json;
        String url = run.pg.jdbcUrl() + "?reWriteBatchedInserts=true";
        String table = schema + (upsert ? ".raw_upserts_" : ".raw_events_") + connections;
        try (Connection c = DriverManager.getConnection(url, run.pg.user(), run.pg.password());
                Statement st = c.createStatement()) {
            st.execute("create table " + table + " (like " + schema + ".events including all)");
        }
        String sql = upsert
                ? "insert into " + table + " (id, topic, kafka_partition, kafka_offset, kafka_key, content_type,"
                        + " event_time, received_at, attributes, bucket, object_key, object_sha256, object_size)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, null, null, null, null)"
                        + " on conflict (id) do update set attributes = excluded.attributes,"
                        + " bucket = excluded.bucket, content_type = excluded.content_type,"
                        + " event_time = excluded.event_time, kafka_key = excluded.kafka_key,"
                        + " kafka_offset = excluded.kafka_offset, kafka_partition = excluded.kafka_partition,"
                        + " object_key = excluded.object_key, object_sha256 = excluded.object_sha256,"
                        + " object_size = excluded.object_size, topic = excluded.topic"
                : "insert into " + table + " (id, topic, kafka_partition, kafka_offset, kafka_key, content_type,"
                        + " event_time, received_at, attributes) values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)";
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                Connection c = DriverManager.getConnection(url, run.pg.user(), run.pg.password());
                c.setAutoCommit(false);
                open.add(c);
            }
            Timestamp now = Timestamp.from(Instant.now());
            List<Callable<Long>> writers = new ArrayList<>();
            for (int w = 0; w < connections; w++) {
                Connection c = open.get(w);
                int from = (int) ((long) rows * w / connections);
                int to = (int) ((long) rows * (w + 1) / connections);
                writers.add(() -> {
                    long cpu = PostgresRun.THREADS.getCurrentThreadCpuTime();
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (int i = from; i < to; i++) {
                            ps.setString(1, "e-" + i);
                            ps.setString(2, "bench");
                            ps.setInt(3, 0);
                            ps.setLong(4, i);
                            ps.setString(5, null);
                            ps.setString(6, "application/json");
                            ps.setTimestamp(7, now);
                            ps.setTimestamp(8, now);
                            ps.setString(9, new String(json[i % json.length], StandardCharsets.UTF_8));
                            ps.addBatch();
                            if ((i - from + 1) % batch == 0 || i == to - 1) {
                                ps.executeBatch();
                                c.commit();
                            }
                        }
                    }
                    return PostgresRun.THREADS.getCurrentThreadCpuTime() - cpu;
                });
            }
            long started = System.nanoTime();
            long cpu = 0;
            try (ExecutorService pool = Executors.newFixedThreadPool(connections)) {
                for (Future<Long> f : pool.invokeAll(writers)) {
                    cpu += f.get();
                }
            }
            String writer = (upsert ? "raw JDBC batch upsert (the sink's SQL)" : "raw JDBC batch insert")
                    + (connections == 1 ? "" : ", " + connections + " connections");
            return run.row(writer, rows, 1024, started, cpu);
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }
}
