package io.streamloader.bench.postgres;

import io.streamloader.bench.CpuSampler;
import io.streamloader.bench.JsonPayloads;
import io.streamloader.bench.OpenedSink;
import io.streamloader.bench.Table;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.PostgresService;
import io.streamloader.devstack.S3Service;
import io.streamloader.sink.postgresminio.PostgresMinioSinkFactory;
import io.streamloader.spi.SinkContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One run of {@link PostgresBench}: the devstack stores, the options every scenario reads, the 1 KB JSON payloads,
 * and the table the scenarios add their rows to, each with the CPU and the PostgreSQL backends of its timed window.
 */
final class PostgresRun implements AutoCloseable {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    final PostgresService pg = DevStack.postgres();
    final S3Service s3 = DevStack.s3();
    final KafkaService kafka = DevStack.kafka();
    final byte[][] json = JsonPayloads.clicks(1000, 1024);
    final PostgresBench options;

    private final Table table = new Table(
            "writer",
            "events",
            "bytes each",
            "seconds",
            "events/s",
            "MB/s",
            "writer CPU µs/event",
            "JVM CPU µs/event",
            "PostgreSQL CPU µs/event",
            "machine busy %",
            "PostgreSQL backends (average)");

    /**
     * CPU of the PostgreSQL server (the postmaster and its children: backends, WAL writer, ...) and of the machine;
     * null without {@code /proc}.
     */
    private final CpuSampler cpu;

    /** What the PostgreSQL backends were doing (pg_stat_activity): waiting for this JVM, on a CPU, or on a lock. */
    private final PgActivity activity;

    PostgresRun(PostgresBench options) throws SQLException {
        this.options = options;
        cpu = CpuSampler.start(Map.of(
                "jvm",
                CpuSampler.process(ProcessHandle.current()),
                "postgres",
                CpuSampler.tree(() -> pg.postmasterPid().flatMap(ProcessHandle::of))));
        activity = new PgActivity(connection());
    }

    Connection connection() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }

    /** A postgres-minio sink opened directly (no pipeline) on {@code schema}, with one writer. */
    OpenedSink sink(String schema, int connections) {
        return OpenedSink.open(
                new PostgresMinioSinkFactory(), new SinkContext("bench", sinkConfig(schema, connections)));
    }

    Map<String, String> sinkConfig(String schema, int connections) {
        Map<String, String> config = new HashMap<>();
        config.put("jdbc.url", pg.jdbcUrl());
        config.put("jdbc.user", pg.user());
        config.put("jdbc.password", pg.password());
        config.put("jdbc.connections", Integer.toString(connections));
        config.put("schema", schema);
        config.put("s3.endpoint", s3.endpoint());
        config.put("s3.access-key", s3.accessKey());
        config.put("s3.secret-key", s3.secretKey());
        config.put("s3.bucket", schema.replace('_', '-') + "-sink");
        config.put("s3.upload-concurrency", Integer.toString(options.concurrency));
        return config;
    }

    /**
     * A row timed by the caller from {@code startedNanos} to now; {@code cpuNanos}: CPU time of the writing threads
     * (PUT threads not included), or -1 when not measured.
     *
     * @return events per second
     */
    double row(String writer, int n, int size, long startedNanos, long cpuNanos) {
        long endedNanos = System.nanoTime();
        double seconds = (endedNanos - startedNanos) / 1e9;
        double perSecond = n / seconds;
        Map<String, String> machine = cpu(startedNanos, endedNanos, n);
        table.row(
                writer,
                n,
                size,
                String.format("%.2f", seconds),
                String.format("%.0f", perSecond),
                String.format("%.1f", perSecond * size / 1e6),
                cpuNanos < 0 ? "-" : String.format("%.1f", cpuNanos / 1e3 / n),
                machine.getOrDefault("jvmCpuUs", "-"),
                machine.getOrDefault("postgresCpuUs", "-"),
                machine.getOrDefault("busyPct", "-"),
                activity.summary(startedNanos, endedNanos));
        return perSecond;
    }

    /** A row of 1 KB events written in a window another thread timed (a pipeline, a loop, a Connect worker). */
    void window(String writer, long n, long fromNanos, long toNanos) {
        double seconds = (toNanos - fromNanos) / 1e9;
        Map<String, String> machine = cpu(fromNanos, toNanos, n);
        table.row(
                writer,
                n,
                1024,
                String.format("%.2f", seconds),
                String.format("%.0f", n / seconds),
                String.format("%.1f", n / seconds * 1024 / 1e6),
                "-",
                machine.getOrDefault("jvmCpuUs", "-"),
                machine.getOrDefault("postgresCpuUs", "-"),
                machine.getOrDefault("busyPct", "-"),
                activity.summary(fromNanos, toNanos));
    }

    private Map<String, String> cpu(long fromNanos, long toNanos, long n) {
        return cpu == null ? Map.of() : CpuSampler.parse(cpu.resultFields(fromNanos, toNanos, n));
    }

    Table table() {
        return table;
    }

    @Override
    public void close() throws Exception {
        activity.close();
        if (cpu != null) {
            cpu.close();
        }
    }
}
