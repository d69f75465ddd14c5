package io.streamloader.bench.postgres;

import io.streamloader.bench.KafkaLoop;
import java.sql.Connection;
import java.sql.Statement;

/**
 * The hand-written Kafka → PostgreSQL loop ({@link PostgresLoop}) on {@code threads} threads, in this JVM as the
 * pipeline rows, into a copy of the sink's table: the pipeline's baseline.
 */
final class LoopRows {
    private LoopRows() {}

    static double write(PostgresRun run, String topic, String schema, int threads) throws Exception {
        String table = schema + ".loop_" + threads;
        try (Connection c = run.connection();
                Statement st = c.createStatement()) {
            st.execute("create table " + table + " (like " + schema + ".events including all)");
        }
        KafkaLoop.Result r = KafkaLoop.run(
                run.kafka.bootstrapServers(),
                topic,
                run.options.partitions,
                threads,
                run.options.batch,
                run.options.rows,
                () -> new PostgresLoop(run.pg.jdbcUrl(), run.pg.user(), run.pg.password(), table));
        run.window(
                "hand-written loop: poll → JDBC batch upsert → commit → commitSync, " + threads + " thread"
                        + (threads == 1 ? "" : "s"),
                r.events(),
                r.firstNanos(),
                r.lastNanos());
        return r.perSecond();
    }
}
