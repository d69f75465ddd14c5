package io.streamloader.bench.scale;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.streamloader.bench.CpuSampler;
import io.streamloader.bench.Table;
import io.streamloader.bench.connect.ConnectWorker;
import io.streamloader.bench.distribution.RunProcess;
import io.streamloader.bench.mongo.MongoBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.bson.Document;

/**
 * Issue 19's bench rows: the same mongo sink on the same events (a topic filled once) in {@code streamloader run} (P
 * processes × W workers) and in a Kafka Connect standalone worker through the adapter ({@code tasks.max} T), beside the
 * native MongoDB connector (mongo-kafka-connect, as {@code bench/run mongo} configures it) with the same T. Every row
 * reads the whole topic from the earliest offset into a fresh database, with its own consumer group, in its own child
 * JVMs of the same heap.
 *
 * <p>A row is timed from outside: the collection's estimated count every 100 ms, from the first poll at which the
 * row's consumer group is stable with all its members assigned and a document is stored (the documents stored before
 * are left out of the rate) to the first poll that sees every event; then {@code countDocuments} must equal the event
 * count. CPU per event in that window: the writer JVMs, and the bench JVM (the broker and the in-JVM MongoDB).
 */
final class ThroughputRows {
    /** One printed row. {@code writerCpuUs}, {@code serverCpuUs}, {@code busyPct}: "-" where /proc is absent. */
    record Row(
            String writer,
            String layout,
            long timed,
            double seconds,
            String writerCpuUs,
            String serverCpuUs,
            String busyPct) {
        double perSecond() {
            return timed / seconds;
        }
    }

    /** What every row shares. */
    record Setup(
            Path bin,
            Path dir,
            String bootstrap,
            String mongoUrl,
            String topic,
            long events,
            int partitions,
            String heap,
            int maxPollRecords) {}

    private final Setup setup;
    private final Admin admin;
    private final MongoClient client;
    private final List<Row> rows = new ArrayList<>();

    ThroughputRows(Setup setup, Admin admin, MongoClient client) {
        this.setup = setup;
        this.admin = admin;
        this.client = client;
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    /** {@code streamloader run}: {@code processes} processes of {@code workers} workers each, one group. */
    void pipeline(int processes, int workers) throws Exception {
        String name = "run-" + processes + "x" + workers;
        String group = setup.topic() + "." + name;
        String database = database("run");
        Path config = setup.dir().resolve(name + ".yaml");
        Files.writeString(config, """
                kafka:
                  bootstrap-servers: %1$s
                topics:
                  %2$s: { partitions: %3$d }
                admin: { enabled: false }
                sinks:
                  docs:
                    type: mongo
                    topics: [%2$s]
                    group-id: %4$s
                    workers: %5$d
                    config: { connection-string: "%6$s", database: %7$s }
                """.formatted(
                setup.bootstrap(), setup.topic(), setup.partitions(), group, workers, setup.mongoUrl(), database));
        List<RunProcess> running = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                running.add(RunProcess.start(
                        setup.bin(),
                        config,
                        setup.dir().resolve(name + "-p" + (i + 1) + ".log"),
                        "-Xmx" + setup.heap()));
            }
            LongSupplier cpu = () -> running.stream()
                    .mapToLong(p -> ProcessHandle.of(p.pid())
                            .map(h -> CpuSampler.process(h).getAsLong())
                            .orElse(0L))
                    .sum();
            measure(
                    "streamloader run",
                    processes + " process" + (processes == 1 ? "" : "es") + " × " + workers + " worker"
                            + (workers == 1 ? "" : "s"),
                    group,
                    processes * workers,
                    database,
                    () -> running.stream().allMatch(RunProcess::isAlive),
                    cpu,
                    () -> "logs " + setup.dir() + "/" + name + "-p*.log");
        } finally {
            for (RunProcess p : running) {
                p.sigterm();
            }
        }
    }

    /** The adapter running the mongo sink in a Connect standalone worker with {@code tasks.max=tasks}. */
    void adapter(int tasks) throws Exception {
        String database = database("adapter");
        Map<String, String> worker = workerSettings();
        String bytes = "org.apache.kafka.connect.converters.ByteArrayConverter";
        worker.put("key.converter", bytes);
        worker.put("value.converter", bytes);
        worker.put("header.converter", bytes);
        worker.put(
                "plugin.path", ScaleBench.ADAPTER_PLUGIN_PATH.toAbsolutePath().toString());
        worker.put("plugin.discovery", "service_load");
        Map<String, String> connector = new LinkedHashMap<>();
        connector.put("connector.class", "io.streamloader.connect.StreamloaderSinkConnector");
        connector.put("tasks.max", Integer.toString(tasks));
        connector.put("topics", setup.topic());
        connector.put("streamloader.sink.type", "mongo");
        connector.put(
                "streamloader.plugins.dir",
                setup.bin().getParent().getParent().resolve("plugins").toString());
        connector.put("streamloader.sink.config.connection-string", setup.mongoUrl());
        connector.put("streamloader.sink.config.database", database);
        connector.put("errors.tolerance", "all");
        connector.put("errors.deadletterqueue.topic.name", setup.topic() + ".connect.dlq");
        connector.put("errors.deadletterqueue.topic.replication.factor", "1");
        connect(
                "Connect " + ConnectWorker.KAFKA_CONNECT_VERSION + " + adapter",
                tasks,
                database,
                worker,
                connector,
                "");
    }

    /** mongo-kafka-connect, configured as {@code bench/run mongo} does, with {@code tasks.max=tasks}. */
    void nativeConnector(int tasks) throws Exception {
        String database = database("native");
        connect(
                "Connect " + ConnectWorker.KAFKA_CONNECT_VERSION + " + mongo-kafka-connect "
                        + ConnectWorker.MONGO_VERSION,
                tasks,
                database,
                workerSettings(),
                MongoBench.connectorConfig(tasks, setup.topic(), setup.mongoUrl(), database, setup.topic()),
                ConnectWorker.MONGO_PLUGIN);
    }

    private Map<String, String> workerSettings() {
        Map<String, String> worker = new LinkedHashMap<>();
        if (setup.maxPollRecords() > 0) {
            worker.put("consumer.max.poll.records", Integer.toString(setup.maxPollRecords()));
        }
        return worker;
    }

    private void connect(
            String writer,
            int tasks,
            String database,
            Map<String, String> worker,
            Map<String, String> connector,
            String plugin)
            throws Exception {
        String name = "scale-" + database.replace('_', '-');
        try (ConnectWorker connect =
                ConnectWorker.start(name, setup.bootstrap(), plugin, setup.heap(), worker, connector)) {
            measure(
                    writer,
                    "tasks.max=" + tasks,
                    "connect-" + name,
                    Math.min(tasks, setup.partitions()),
                    database,
                    () -> connect.process().isAlive(),
                    CpuSampler.process(connect.process()),
                    connect::tail);
        }
    }

    private String database(String kind) {
        return "scale_" + kind + "_" + Long.toString(System.nanoTime(), 36);
    }

    private void measure(
            String writer,
            String layout,
            String group,
            int members,
            String database,
            BooleanSupplier alive,
            LongSupplier writerCpu,
            Supplier<String> whereToLook)
            throws Exception {
        MongoCollection<Document> docs = client.getDatabase(database).getCollection(setup.topic());
        long events = setup.events();
        try (CpuSampler cpu =
                CpuSampler.start(Map.of("writer", writerCpu, "server", CpuSampler.process(ProcessHandle.current())))) {
            long firstNanos = 0;
            long firstCount = 0;
            long lastProgress = System.nanoTime();
            long seen = 0;
            while (true) {
                long n = docs.estimatedDocumentCount();
                long now = System.nanoTime();
                if (n > seen) {
                    seen = n;
                    lastProgress = now;
                }
                if (firstNanos == 0 && n > 0 && n < events && stable(group, members)) {
                    firstNanos = now;
                    firstCount = n;
                }
                if (n >= events) {
                    if (firstNanos == 0) {
                        throw new IllegalStateException(writer + ", " + layout + ": every event was stored before the"
                                + " group was stable with " + members + " members; use more events");
                    }
                    long stored = docs.countDocuments();
                    if (stored != events) {
                        throw new IllegalStateException(
                                writer + ", " + layout + ": " + stored + " documents, expected " + events);
                    }
                    Map<String, String> fields = cpu == null
                            ? Map.of()
                            : CpuSampler.parse(cpu.resultFields(firstNanos, now, n - firstCount));
                    rows.add(new Row(
                            writer,
                            layout,
                            n - firstCount,
                            (now - firstNanos) / 1e9,
                            fields.getOrDefault("writerCpuUs", "-"),
                            fields.getOrDefault("serverCpuUs", "-"),
                            fields.getOrDefault("busyPct", "-")));
                    System.err.printf(
                            "scale rows: %s, %s: %.0f events/s%n",
                            writer, layout, rows.getLast().perSecond());
                    return;
                }
                if (!alive.getAsBoolean() || now - lastProgress > TimeUnit.MINUTES.toNanos(2)) {
                    throw new IllegalStateException(writer + ", " + layout + ": stalled or exited at " + n + " of "
                            + events + "; " + whereToLook.get());
                }
                Thread.sleep(100);
            }
        } finally {
            client.getDatabase(database).drop(); // the in-JVM MongoDB holds every document in the bench's heap
        }
    }

    /** Whether the group has {@code members} members, each assigned at least one partition, and is not rebalancing. */
    private boolean stable(String group, int members) throws InterruptedException {
        try {
            ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get();
            return g.groupState() == GroupState.STABLE
                    && g.members().size() == members
                    && g.members().stream()
                            .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
        } catch (ExecutionException e) {
            return false; // not known to the coordinator yet
        }
    }

    /** The table, and how the adapter compares with the native connector and the pipeline. */
    String render() {
        Table table = new Table(
                "writer (mongo sink, same events)",
                "layout",
                "events timed",
                "seconds",
                "events/s",
                "writer CPU µs/event",
                "bench JVM (broker + MongoDB) CPU µs/event",
                "machine busy %");
        for (Row r : rows) {
            table.row(
                    r.writer(),
                    r.layout(),
                    r.timed(),
                    Table.seconds(r.seconds()),
                    String.format("%.0f", r.perSecond()),
                    r.writerCpuUs(),
                    r.serverCpuUs(),
                    r.busyPct());
        }
        StringBuilder out = new StringBuilder(table.toString());
        for (Row adapter : rows) {
            if (!adapter.writer().contains("adapter")) {
                continue;
            }
            for (Row other : rows) {
                if (other.writer().contains("mongo-kafka-connect")
                        && other.layout().equals(adapter.layout())) {
                    out.append(String.format(
                            "adapter / mongo-kafka-connect, %s: %.1f %%%n",
                            adapter.layout(), 100 * adapter.perSecond() / other.perSecond()));
                }
            }
        }
        return out.toString();
    }
}
