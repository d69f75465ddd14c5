package io.streamloader.bench.postgres;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.streamloader.bench.BenchProducer;
import io.streamloader.bench.CpuSampler;
import io.streamloader.bench.JsonPayloads;
import io.streamloader.bench.KafkaLoop;
import io.streamloader.bench.OpenedSink;
import io.streamloader.bench.PeerRatios;
import io.streamloader.bench.Table;
import io.streamloader.bench.TimedPipeline;
import io.streamloader.bench.connect.ConnectWorker;
import io.streamloader.bench.connect.ConnectWorker.Measured;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.PostgresService;
import io.streamloader.devstack.S3Service;
import io.streamloader.sink.postgres.PostgresMinioSinkFactory;
import io.streamloader.spi.Event;
import io.streamloader.spi.SinkContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.SocketFactory;
import okhttp3.OkHttpClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The postgres-minio sink's write path next to the raw client doing the same work, same stores, same run:
 *
 * <ul>
 *   <li>1 KB JSON events, rows only: {@code Sink.write} (Hibernate StatelessSession, JDBC batch upsert) vs plain JDBC
 *       batched inserts of the same rows ({@code reWriteBatchedInserts=true}, one connection, commit per batch).
 *   <li>100 KB binary events: {@code Sink.write} (PUT then row) vs raw MinIO-client PUTs of the same objects, single
 *       threaded and with the sink's upload concurrency.
 * </ul>
 *
 * The sink is called directly (no Kafka) so that the figures are the sink's own cost.
 */
@Command(
        name = "postgres",
        mixinStandardHelpOptions = true,
        description = "postgres-minio sink vs raw JDBC batch inserts and raw S3 PUTs.")
public final class PostgresBench implements Callable<Integer> {

    @Option(
            names = "--rows",
            defaultValue = "1000000",
            description = "JSON events per round (default ${DEFAULT-VALUE}, as the issue measured; shorter runs mostly"
                    + " time the JIT compiler).")
    int rows;

    @Option(
            names = "--blobs",
            defaultValue = "3000",
            description = "Binary events per round (default ${DEFAULT-VALUE}).")
    int blobs;

    @Option(names = "--blob-size", defaultValue = "102400", description = "Bytes per blob (default ${DEFAULT-VALUE}).")
    int blobSize;

    @Option(
            names = "--batch",
            defaultValue = "" + PostgresMinioSinkFactory.DEFAULT_BATCH_RECORDS,
            description = "Rows per batch: the pipeline's batch.max-records, the direct sink calls' batches and the raw"
                    + " inserts' commits (default ${DEFAULT-VALUE}, the sink's default).")
    int batch;

    @Option(
            names = "--concurrency",
            defaultValue = "4",
            description = "Parallel PUTs, sink and raw (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--connections",
            defaultValue = "2",
            description = "jdbc.connections of the sink rows and the pipeline rows (default ${DEFAULT-VALUE}, the"
                    + " sink's default).")
    int connections;

    @Option(names = "--rounds", defaultValue = "2", description = "Alternating rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--connect",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Also run the Debezium JDBC sink connector in a Connect standalone worker (default on;"
                    + " --no-connect skips it).")
    boolean connect;

    @Option(
            names = "--partitions",
            defaultValue = "3",
            description = "Partitions of the connector's topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--connect-heap",
            defaultValue = "512m",
            description = "-Xmx of the Connect worker JVM (default ${DEFAULT-VALUE}).")
    String connectHeap;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

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

    /** CPU of the PostgreSQL server (the postmaster and its children: backends, WAL writer, ...) and of the machine. */
    private CpuSampler cpu;

    /** The pipeline against the loop and Debezium, per round; kept for the smoke test. */
    private final PeerRatios ratios = new PeerRatios("Debezium JDBC sink " + ConnectWorker.DEBEZIUM_VERSION);

    public PeerRatios ratios() {
        return ratios;
    }

    /** What the PostgreSQL backends were doing (pg_stat_activity): waiting for this JVM, on a CPU, or on a lock. */
    private PgActivity activity;

    @Override
    public Integer call() throws Exception {
        PostgresService pg = DevStack.postgres();
        S3Service s3 = DevStack.s3();
        cpu = CpuSampler.start(Map.of(
                "jvm",
                CpuSampler.process(ProcessHandle.current()),
                "postgres",
                CpuSampler.tree(() -> pg.postmasterPid().flatMap(ProcessHandle::of))));
        activity = new PgActivity(DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password()));
        byte[][] json = JsonPayloads.clicks(1000, 1024);
        double bestRawRows = 0;
        double bestRawUpserts = 0;
        double bestSinkRows = 0;
        double bestRawPuts = 0;
        double bestSinkBlobs = 0;
        double bestDebeziumDefault = 0;
        double bestDebeziumTuned = 0;
        KafkaService kafka = DevStack.kafka();
        String topic = "bench_dbz_" + System.currentTimeMillis();
        String plainTopic = "bench_pg_" + System.currentTimeMillis();
        kafka.createTopic(plainTopic, partitions);
        // twice the rows: the rebalances while several workers join are left out of their window (TimedPipeline)
        BenchProducer.produce(
                kafka.bootstrapServers(),
                2L * rows,
                i -> new ProducerRecord<>(plainTopic, json[(int) (i % json.length)]));
        double bestPipeline1 = 0;
        double bestPipelineN = 0;
        double bestLoop = 0;
        if (connect) {
            kafka.createTopic(topic, partitions);
            produceEnveloped(kafka.bootstrapServers(), topic, json);
        }
        for (int round = 1; round <= rounds; round++) {
            String schema = "bench_" + round + "_" + (System.currentTimeMillis() % 100_000);
            try (OpenedSink single = sink(pg, s3, schema, 1);
                    OpenedSink sink = sink(pg, s3, schema, connections);
                    OpenedSink second = sink(pg, s3, schema, connections);
                    OpenedSink third = sink(pg, s3, schema, connections)) {
                for (int raw : List.of(1, connections, partitions * connections)) {
                    bestRawRows = Math.max(bestRawRows, rawInserts(pg, schema, json, false, raw));
                }
                bestRawUpserts = Math.max(bestRawUpserts, rawInserts(pg, schema, json, true, 1));
                bestSinkRows = Math.max(bestSinkRows, sinkRows(List.of(single), json, "s-", 1));
                bestSinkRows = Math.max(bestSinkRows, sinkRows(List.of(sink), json, "e-", connections));
                bestSinkRows = Math.max(bestSinkRows, sinkRows(List.of(sink, second, third), json, "p-", connections));
                double pipeline1 = pipelineRows(pg, s3, kafka, plainTopic, schema + "_k1", 1);
                ratios.pipeline(1, pipeline1);
                bestPipeline1 = Math.max(bestPipeline1, pipeline1);
                double pipelineN = pipelineRows(pg, s3, kafka, plainTopic, schema + "_k" + partitions, partitions);
                ratios.pipeline(partitions, pipelineN);
                bestPipelineN = Math.max(bestPipelineN, pipelineN);
                for (int threads = 1; threads <= partitions; threads++) {
                    double loop = loopRows(pg, kafka, plainTopic, schema, threads);
                    ratios.loop(loop);
                    bestLoop = Math.max(bestLoop, loop);
                }
                bestRawPuts = Math.max(bestRawPuts, rawPuts(s3, schema.replace('_', '-'), 1));
                bestRawPuts = Math.max(bestRawPuts, rawPuts(s3, schema.replace('_', '-'), concurrency));
                bestSinkBlobs = Math.max(bestSinkBlobs, sinkBlobs(single));
            }
            if (connect) {
                double defaults = debezium(pg, kafka, topic, "dbz_default_" + round, 1, false);
                ratios.peer(true, defaults);
                bestDebeziumDefault = Math.max(bestDebeziumDefault, defaults);
                double tuned = debezium(pg, kafka, topic, "dbz_tuned_" + round, partitions, true);
                ratios.peer(false, tuned);
                bestDebeziumTuned = Math.max(bestDebeziumTuned, tuned);
            }
            ratios.endRound();
        }
        System.out.println();
        System.out.printf(
                "postgres-minio sink vs raw clients (batch %d, S3 concurrency %d, %d rounds)%n",
                batch, concurrency, rounds);
        System.out.print(table);
        System.out.println(
                "CPU in each row's timed window: writer = the writing threads (raw rows; the sink rows' calling"
                        + " thread, not its connections' threads); JVM = this whole JVM (writers, the sink's threads, GC, JIT,"
                        + " and the Kafka broker and consumers in the pipeline rows; Linux /proc); PostgreSQL = the postmaster and"
                        + " its children; machine busy = share of all cores busy, every process included");
        System.out.printf(
                "rows:  best sink / best raw insert = %.0f / %.0f events/s = %.1f %% (target ≥ 90 %%)%n",
                bestSinkRows, bestRawRows, 100 * bestSinkRows / bestRawRows);
        System.out.printf(
                "rows:  best sink / best raw upsert = %.0f / %.0f events/s = %.1f %% (the sink's SQL, plain JDBC)%n",
                bestSinkRows, bestRawUpserts, 100 * bestSinkRows / bestRawUpserts);
        System.out.printf(
                "blobs: best sink / best raw PUT    = %.0f / %.0f events/s = %.1f %% (target ≥ 90 %%)%n",
                bestSinkBlobs, bestRawPuts, 100 * bestSinkBlobs / bestRawPuts);
        double bestPipeline = Math.max(bestPipeline1, bestPipelineN);
        System.out.printf(
                "rows:  best pipeline / best hand-written Kafka → PostgreSQL loop (1..%d threads) = %.0f / %.0f events/s"
                        + " = %.1f %% (target ≥ 100 %%)%n",
                partitions, bestPipeline, bestLoop, 100 * bestPipeline / bestLoop);
        System.out.println("Within each round (issue 21: the lead must hold in every round):");
        ratios.lines().forEach(System.out::println);
        if (connect) {
            System.out.printf(
                    "rows:  best of the run, ours (Kafka → pipeline) / Debezium JDBC sink %s: 1 worker vs defaults"
                            + " %.0f / %.0f = %.2f×; %d workers vs tasks.max=partitions + reWriteBatchedInserts"
                            + " %.0f / %.0f = %.2f× (targets: per round, above)%n",
                    ConnectWorker.DEBEZIUM_VERSION,
                    bestPipeline1,
                    bestDebeziumDefault,
                    bestPipeline1 / bestDebeziumDefault,
                    partitions,
                    bestPipelineN,
                    bestDebeziumTuned,
                    bestPipelineN / bestDebeziumTuned);
            System.out.println("Debezium: Connect " + ConnectWorker.KAFKA_CONNECT_VERSION + " standalone worker (-Xmx"
                    + connectHeap + ") reading a " + partitions + "-partition topic of the same 1 KB JSON objects"
                    + " wrapped in the JsonConverter schemas.enable=true envelope (1309 B per record; flat columns"
                    + " id/type/user/payload, table created by schema.evolution=basic, insert.mode=insert, no key);"
                    + " rate = rows between the first and the last poll of count(*) (250 ms near the start and the end). Ours reads"
                    + " a topic of the plain JSON objects, timed from the first write to the last acknowledged one,"
                    + " into one jsonb column plus metadata columns, insert first and upsert by id on conflict.");
        }
        System.out.println("PostgreSQL backends: the average number of this database's client backends per state in the"
                + " row's window (pg_stat_activity every 50 ms): idle / idle in transaction = waiting for the client"
                + " (this JVM or the Connect worker), active CPU = running or runnable, active Lock:… = waiting for a"
                + " row or table lock, active LWLock:… / IO:… = WAL or buffer contention");
        activity.close();
        if (cpu != null) {
            cpu.close();
        }
        return 0;
    }

    private OpenedSink sink(PostgresService pg, S3Service s3, String schema, int connections) {
        return OpenedSink.open(
                new PostgresMinioSinkFactory(), new SinkContext("bench", sinkConfig(pg, s3, schema, connections)));
    }

    private Map<String, String> sinkConfig(PostgresService pg, S3Service s3, String schema, int connections) {
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
        config.put("s3.upload-concurrency", Integer.toString(concurrency));
        return config;
    }

    /**
     * Kafka → pipeline ({@code workers} workers, {@code --connections} connections each) → PostgreSQL, into a
     * schema of its own: what an operator runs, and what the Debezium rows (which consume Kafka too) compare with.
     */
    private double pipelineRows(
            PostgresService pg, S3Service s3, KafkaService kafka, String topic, String schema, int workers)
            throws InterruptedException {
        TimedPipeline.Result r = TimedPipeline.run(
                new PostgresMinioSinkFactory(),
                sinkConfig(pg, s3, schema, connections),
                kafka.bootstrapServers(),
                topic,
                workers,
                new BatchPolicy(batch, BatchPolicy.DEFAULT.maxBytes(), Duration.ofMillis(100)),
                // one worker: the same rows as the Debezium rows write; several: twice as many, of which the
                // rebalances while workers join are left out (TimedPipeline)
                workers == 1 ? rows : 2L * rows);
        table(
                "Kafka → pipeline → sink, " + workers + " worker" + (workers == 1 ? "" : "s") + " (rows only)",
                r.events(),
                r.firstNanos(),
                r.lastNanos());
        return r.perSecond();
    }

    /**
     * The hand-written Kafka → PostgreSQL loop ({@link PostgresLoop}) on {@code threads} threads, in this JVM as the
     * pipeline rows, into a copy of the sink's table: the pipeline's baseline.
     */
    private double loopRows(PostgresService pg, KafkaService kafka, String topic, String schema, int threads)
            throws Exception {
        String table = schema + ".loop_" + threads;
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement st = c.createStatement()) {
            st.execute("create table " + table + " (like " + schema + ".events including all)");
        }
        KafkaLoop.Result r = KafkaLoop.run(
                kafka.bootstrapServers(),
                topic,
                partitions,
                threads,
                batch,
                rows,
                () -> new PostgresLoop(pg.jdbcUrl(), pg.user(), pg.password(), table));
        table(
                "hand-written loop: poll → JDBC batch upsert → commit → commitSync, " + threads + " thread"
                        + (threads == 1 ? "" : "s"),
                r.events(),
                r.firstNanos(),
                r.lastNanos());
        return r.perSecond();
    }

    /**
     * The same rows the sink writes, as plain batched inserts into a copy of its table; with {@code upsert}, as the
     * sink's own statement ({@code on conflict (id) do update}, all its columns), which shows what the upsert costs
     * PostgreSQL apart from what the sink adds. With several {@code connections}, each writes its share of the rows
     * from its own thread, as several workers would.
     */
    private double rawInserts(PostgresService pg, String schema, byte[][] json, boolean upsert, int connections)
            throws Exception {
        String url = pg.jdbcUrl() + "?reWriteBatchedInserts=true";
        String table = schema + (upsert ? ".raw_upserts_" : ".raw_events_") + connections;
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
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
                Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
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
                    long cpu = THREADS.getCurrentThreadCpuTime();
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
                    return THREADS.getCurrentThreadCpuTime() - cpu;
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
            return row(writer, rows, 1024, started, cpu);
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
    }

    /**
     * {@code Sink.write} of the rows in batches; with several sinks, each writes every n-th batch from its own thread,
     * as the pipeline's workers would (one sink instance and one connection per worker).
     */
    private double sinkRows(List<OpenedSink> sinks, byte[][] json, String idPrefix, int connections) throws Exception {
        List<List<Event>> batches = new ArrayList<>();
        for (int from = 0; from < rows; from += batch) {
            List<Event> events = new ArrayList<>(batch);
            for (int i = from; i < Math.min(rows, from + batch); i++) {
                events.add(Event.builder()
                        .id(idPrefix + i)
                        .topic("bench")
                        .partition(0)
                        .offset(i)
                        .timestamp(Instant.now())
                        .value(json[i % json.length])
                        .contentType("application/json")
                        .build());
            }
            batches.add(events);
        }
        List<Callable<Long>> writers = new ArrayList<>();
        for (int w = 0; w < sinks.size(); w++) {
            OpenedSink sink = sinks.get(w);
            int first = w;
            writers.add(() -> {
                long cpu = THREADS.getCurrentThreadCpuTime();
                for (int b = first; b < batches.size(); b += sinks.size()) {
                    if (!sink.write(batches.get(b)).isSuccess()) {
                        throw new IllegalStateException("sink refused events");
                    }
                }
                return THREADS.getCurrentThreadCpuTime() - cpu;
            });
        }
        long started = System.nanoTime();
        long cpu = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(sinks.size())) {
            for (Future<Long> f : pool.invokeAll(writers)) {
                cpu += f.get();
            }
        }
        String writer = "sink, rows only, jdbc.connections=" + connections
                + (sinks.size() == 1 ? "" : ", " + sinks.size() + " sinks (like workers)");
        return row(writer, rows, 1024, started, cpu);
    }

    /**
     * The same JSON objects as Kafka records in the JsonConverter envelope with a schema ({@code schemas.enable=true}),
     * which the Debezium JDBC sink needs: it maps Connect structs to columns and cannot take schemaless JSON.
     */
    private void produceEnveloped(String bootstrap, String topic, byte[][] json) throws Exception {
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
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<?>> window = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
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
     * The Debezium JDBC sink connector on the enveloped topic into a fresh table of the public schema, in a standalone
     * Connect worker (child JVM), its own consumer group from the earliest offset. {@code tuned}: reWriteBatchedInserts.
     */
    private double debezium(
            PostgresService pg, KafkaService kafka, String topic, String table, int tasks, boolean tuned)
            throws Exception {
        table = table + "_" + (System.currentTimeMillis() % 100_000);
        Map<String, String> connector = new HashMap<>();
        connector.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        connector.put("tasks.max", Integer.toString(tasks));
        connector.put("topics", topic);
        connector.put("connection.url", pg.jdbcUrl() + (tuned ? "?reWriteBatchedInserts=true" : ""));
        connector.put("connection.username", pg.user());
        connector.put("connection.password", pg.password());
        connector.put("schema.evolution", "basic"); // let it create the table (default none expects one)
        connector.put("quote.identifiers", "true"); // the payload has a field named user
        connector.put("collection.name.format", table);
        connector.put("table.name.format", table); // the pre-3.0 name of the same setting
        String name = "debezium-jdbc-" + table;
        String count = "select count(*) from public.\"" + table + "\"";
        Map<String, String> worker = Map.of(
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "true");
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                ConnectWorker w = ConnectWorker.start(
                        name,
                        kafka.bootstrapServers(),
                        ConnectWorker.DEBEZIUM_JDBC_PLUGIN,
                        connectHeap,
                        worker,
                        connector)) {
            Measured m = w.measure(() -> count(c, count), rows, 250);
            table(
                    "Debezium JDBC sink " + ConnectWorker.DEBEZIUM_VERSION
                            + (tuned ? ", tasks.max=" + tasks + ", reWriteBatchedInserts" : " (defaults, tasks.max=1)"),
                    m.records(),
                    m.firstNanos(),
                    m.lastNanos());
            return m.perSecond();
        } finally {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
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

    private void table(String writer, long n, long fromNanos, long toNanos) {
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

    private double rawPuts(S3Service s3, String bucket, int threads) throws Exception {
        MinioClient client = MinioClient.builder()
                .endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey())
                .httpClient(
                        new OkHttpClient.Builder().socketFactory(new NoDelay()).build())
                .build();
        String name = bucket + "-raw" + threads;
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(name).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(name).build());
        }
        byte[][] payloads = blobPayloads();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < blobs; i++) {
                int n = i;
                puts.add(pool.submit(() -> {
                    byte[] bytes = payloads[n % payloads.length];
                    client.putObject(PutObjectArgs.builder()
                            .bucket(name)
                            .object("bench/b-" + n)
                            .data(bytes, bytes.length)
                            .contentType("application/octet-stream")
                            .build());
                    return null;
                }));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }
        return row("raw MinIO PUT, " + threads + " thread" + (threads == 1 ? "" : "s"), blobs, blobSize, started, -1);
    }

    private double sinkBlobs(OpenedSink sink) {
        byte[][] payloads = blobPayloads();
        int perBatch = Math.max(1, Math.min(batch, (8 << 20) / blobSize));
        List<List<Event>> batches = new ArrayList<>();
        for (int from = 0; from < blobs; from += perBatch) {
            List<Event> events = new ArrayList<>(perBatch);
            for (int i = from; i < Math.min(blobs, from + perBatch); i++) {
                events.add(Event.builder()
                        .id("b-" + i)
                        .topic("bench")
                        .partition(0)
                        .offset(i)
                        .timestamp(Instant.now())
                        .value(payloads[i % payloads.length])
                        .contentType("application/octet-stream")
                        .build());
            }
            batches.add(events);
        }
        long started = System.nanoTime();
        for (List<Event> events : batches) {
            if (!sink.write(events).isSuccess()) {
                throw new IllegalStateException("sink refused events");
            }
        }
        return row("sink, binary (PUT then row), " + concurrency + " PUT threads", blobs, blobSize, started, -1);
    }

    /** {@code cpuNanos}: CPU time of the writing threads (PUT threads not included), or -1 when not measured. */
    private double row(String writer, int n, int size, long startedNanos, long cpuNanos) {
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

    private byte[][] blobPayloads() {
        Random random = new Random(7);
        byte[][] out = new byte[16][blobSize];
        for (byte[] b : out) {
            random.nextBytes(b);
        }
        return out;
    }

    /** TCP_NODELAY sockets, as the sink uses (see the sink's NoDelaySocketFactory). */
    private static final class NoDelay extends SocketFactory {
        private final SocketFactory delegate = SocketFactory.getDefault();

        @Override
        public Socket createSocket() throws java.io.IOException {
            Socket s = delegate.createSocket();
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws java.io.IOException {
            Socket s = delegate.createSocket(host, port);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, java.net.InetAddress local, int localPort)
                throws java.io.IOException {
            Socket s = delegate.createSocket(host, port, local, localPort);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            Socket s = delegate.createSocket(host, port);
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress local, int localPort)
                throws java.io.IOException {
            Socket s = delegate.createSocket(address, port, local, localPort);
            s.setTcpNoDelay(true);
            return s;
        }
    }
}
