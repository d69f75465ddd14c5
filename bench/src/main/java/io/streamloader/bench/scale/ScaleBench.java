package io.streamloader.bench.scale;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.streamloader.bench.BenchProducer;
import io.streamloader.bench.JsonPayloads;
import io.streamloader.bench.Table;
import io.streamloader.bench.connect.ConnectWorker;
import io.streamloader.bench.distribution.RunProcess;
import io.streamloader.bench.distribution.SinkProgress;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.MongoService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.Document;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 19's scale-out proof as a bench: N {@code streamloader run} processes of the real distribution share one mongo
 * sink's consumer group on a topic filled up front; at a third of the events one process is killed ({@code kill -9})
 * or leaves (SIGTERM), at two thirds a new one joins. Watched from outside every 100 ms (committed offsets, and each
 * process's log for the partitions it owns); prints each process's share, the takeover time, and the check of the
 * store (every id once: lost 0, dup 0), the dead-letter topic and the lag. Then, unless {@code --no-adapter}, the same
 * sink on the same events through one {@code streamloader run} with T workers and through the Kafka Connect adapter
 * with {@code tasks.max} T in a standalone Connect worker.
 */
@Command(
        name = "scale",
        mixinStandardHelpOptions = true,
        description =
                "N 'streamloader run' processes sharing a mongo sink's group, one killed or leaving mid-way and one"
                        + " joining: per-process share, takeover, lost/dup; and the Connect adapter vs the pipeline.")
public final class ScaleBench implements Callable<Integer> {
    static final Path DISTRIBUTION = Path.of("launcher", "target", "streamloader");
    static final Path ADAPTER_PLUGIN_PATH = Path.of("connect-adapter", "target", "plugin");
    static final String BUILD = "./mvnw -B -q -pl bench,launcher,connect-adapter -am package -DskipTests";

    @Option(names = "--events", defaultValue = "300000", description = "Events (default ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--partitions", defaultValue = "6", description = "Topic partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--processes",
            defaultValue = "3",
            description = "Processes at the start (default ${DEFAULT-VALUE}).")
    int processes;

    @Option(names = "--workers", defaultValue = "2", description = "Workers per process (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(
            names = "--signal",
            defaultValue = "kill",
            description =
                    "kill (SIGKILL) or leave (SIGTERM) for the first process at a third (default ${DEFAULT-VALUE}).")
    String signal;

    @Option(
            names = "--group-protocol",
            defaultValue = "classic",
            description = "classic or consumer (default ${DEFAULT-VALUE}).")
    String groupProtocol;

    @Option(
            names = "--session-timeout-ms",
            defaultValue = "0",
            description =
                    "kafka.client session.timeout.ms with classic; 0: Kafka's default (45 s) (default ${DEFAULT-VALUE}).")
    int sessionTimeoutMs;

    @Option(names = "--heap", defaultValue = "256m", description = "-Xmx of each process (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--size", defaultValue = "1024", description = "Bytes per JSON event (default ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--tasks",
            defaultValue = "3",
            description = "Workers / Connect tasks of the adapter rows (default ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--no-adapter", description = "Skip the adapter-vs-pipeline rows.")
    boolean noAdapter;

    @Override
    public Integer call() throws Exception {
        Path bin = DISTRIBUTION.resolve("bin").resolve("streamloader").toAbsolutePath();
        if (!Files.isExecutable(bin)
                || !Files.isDirectory(DISTRIBUTION.resolve("plugins").resolve("mongo"))) {
            System.err.println("no distribution at " + DISTRIBUTION.toAbsolutePath() + "; build it with " + BUILD);
            return 2;
        }
        if (!signal.equals("kill") && !signal.equals("leave")) {
            System.err.println("--signal must be kill or leave, got " + signal);
            return 2;
        }
        KafkaService kafka = DevStack.kafka();
        MongoService mongo = DevStack.mongo();
        String topic = "bench-scale-" + System.currentTimeMillis();
        kafka.createTopic(topic, partitions);
        kafka.createTopic(topic + ".dlq", 1);
        byte[][] payloads = JsonPayloads.clicks(1000, size);
        BenchProducer.produce(kafka.bootstrapServers(), events, i -> {
            ProducerRecord<byte[], byte[]> r =
                    new ProducerRecord<>(topic, ("k" + i).getBytes(UTF_8), payloads[(int) (i % payloads.length)]);
            r.headers().add("sl-event-id", ("e-" + i).getBytes(UTF_8));
            return r;
        });
        Path dir = Files.createDirectories(
                Path.of("bench", "target", "scale", topic).toAbsolutePath());
        boolean passed;
        try (Admin admin = kafka.admin();
                MongoClient client = MongoClients.create(mongo.connectionString())) {
            ScaleRun run = new ScaleRun(bin, dir, topic, admin);
            passed = run.groupRun(kafka.bootstrapServers(), mongo.connectionString(), client);
            if (!noAdapter) {
                run.adapterRows(kafka.bootstrapServers(), mongo.connectionString(), client);
            }
        }
        return passed ? 0 : 1;
    }

    /** One run's state: the processes, their logs, what each committed. */
    private final class ScaleRun {
        private final Path bin;
        private final Path dir;
        private final String topic;
        private final Admin admin;
        private final Map<String, RunProcess> running = new LinkedHashMap<>();
        private final Map<String, Long> share = new LinkedHashMap<>();

        ScaleRun(Path bin, Path dir, String topic, Admin admin) {
            this.bin = bin;
            this.dir = dir;
            this.topic = topic;
            this.admin = admin;
        }

        boolean groupRun(String bootstrap, String mongoUrl, MongoClient client) throws Exception {
            String group = topic + ".scale";
            String database = "scale_" + Long.toString(System.nanoTime(), 36);
            Path config = writeConfig(bootstrap, mongoUrl, group, database, workers, "scale");
            for (int i = 0; i < processes; i++) {
                start(config, "p" + (i + 1));
            }
            String victim = "p1";
            long signalledAt = 0;
            Set<Integer> moved = Set.of();
            Map<Integer, Long> atGone = null;
            long takeoverNanos = -1;
            boolean joined = false;
            long firstCommitNanos = 0;
            long lastNanos = 0;
            long lastProgress = System.nanoTime();
            Map<Integer, Long> previous = new HashMap<>();
            String failure = "";
            while (true) {
                long now = System.nanoTime();
                Map<Integer, Long> committed = SinkProgress.committedByPartition(admin, group, topic);
                long total =
                        committed.values().stream().mapToLong(Long::longValue).sum();
                attribute(previous, committed);
                if (total
                        > previous.values().stream().mapToLong(Long::longValue).sum()) {
                    lastProgress = now;
                    if (firstCommitNanos == 0) {
                        firstCommitNanos = now;
                    }
                }
                previous = committed;
                if (signalledAt == 0 && total >= events / 3) {
                    RunProcess leaving = running.get(victim);
                    moved = Ownership.owned(log(victim), topic);
                    signalledAt = System.nanoTime();
                    if (signal.equals("kill")) {
                        leaving.kill9();
                    } else {
                        leaving.sigterm();
                    }
                    running.remove(victim);
                    atGone = SinkProgress.committedByPartition(admin, group, topic);
                } else if (signalledAt != 0 && takeoverNanos < 0 && tookOver(moved, atGone, committed)) {
                    takeoverNanos = System.nanoTime() - signalledAt;
                }
                if (signalledAt != 0 && !joined && total >= 2 * events / 3) {
                    start(config, "p" + (processes + 1));
                    joined = true;
                }
                if (total >= events) {
                    lastNanos = now;
                    break;
                }
                if (now - lastProgress > TimeUnit.MINUTES.toNanos(3)) {
                    failure = "no progress for 3 min at " + total + " of " + events;
                    break;
                }
                Thread.sleep(100);
            }
            return report(client, database, group, moved, takeoverNanos, firstCommitNanos, lastNanos, failure);
        }

        /** Every moved partition that still had events is owned by a survivor and committed past where it stood. */
        private boolean tookOver(Set<Integer> moved, Map<Integer, Long> atGone, Map<Integer, Long> now) {
            for (int p : moved) {
                boolean owned = running.keySet().stream()
                        .anyMatch(name -> Ownership.owned(log(name), topic).contains(p));
                long end = endOffset(p);
                boolean progressed =
                        now.getOrDefault(p, -1L) > atGone.getOrDefault(p, -1L) || atGone.getOrDefault(p, -1L) >= end;
                if (!owned || !progressed) {
                    return false;
                }
            }
            return true;
        }

        /** Adds each partition's committed progress since the last poll to the process owning it now. */
        private void attribute(Map<Integer, Long> before, Map<Integer, Long> after) {
            Map<Integer, String> owners = new HashMap<>();
            running.keySet().forEach(name -> Ownership.owned(log(name), topic).forEach(p -> owners.put(p, name)));
            after.forEach((p, offset) -> {
                long delta = offset - before.getOrDefault(p, 0L);
                if (delta > 0) {
                    share.merge(owners.getOrDefault(p, "(moving)"), delta, Long::sum);
                }
            });
        }

        private boolean report(
                MongoClient client,
                String database,
                String group,
                Set<Integer> moved,
                long takeoverNanos,
                long first,
                long last,
                String failure)
                throws Exception {
            List<String> failures = new ArrayList<>();
            if (!failure.isEmpty()) {
                failures.add(failure);
            }
            MongoCollection<Document> docs = client.getDatabase(database).getCollection(topic);
            BitSet seen = new BitSet((int) events);
            long documents = 0;
            long foreign = 0;
            for (Document d : docs.find().projection(new Document("_id", 1))) {
                documents++;
                String id = String.valueOf(d.get("_id"));
                if (id.startsWith("e-")) {
                    seen.set(Integer.parseInt(id.substring(2)));
                } else {
                    foreign++;
                }
            }
            docs.drop(); // the in-JVM MongoDB holds every document in the bench's heap
            long lost = events - seen.cardinality();
            long dup = documents - seen.cardinality() - foreign;
            long dlq = endOffsetOf(topic + ".dlq", 0);
            long lag = events - SinkProgress.committed(admin, group, topic);
            if (lost != 0 || dup != 0 || foreign != 0 || dlq != 0 || lag != 0) {
                failures.add(
                        "lost " + lost + ", dup " + dup + ", foreign " + foreign + ", dlq " + dlq + ", lag " + lag);
            }
            System.out.println();
            System.out.printf(
                    "Scale: %d × %d B events, %d partitions, mongo sink, %d processes × %d workers (group protocol %s);"
                            + " p1 %s at a third, p%d joins at two thirds%n",
                    events,
                    size,
                    partitions,
                    processes,
                    workers,
                    groupProtocol,
                    signal.equals("kill") ? "killed (SIGKILL)" : "leaves (SIGTERM)",
                    processes + 1);
            Table shares = new Table("process", "events committed while owning", "share %");
            long attributed = share.values().stream().mapToLong(Long::longValue).sum();
            share.forEach((name, n) -> shares.row(name, n, String.format("%.1f", 100.0 * n / Math.max(1, attributed))));
            System.out.print(shares);
            Table result = new Table(
                    "moved partitions", "takeover s", "seconds", "events/s", "stored", "lost", "dup", "dlq", "lag");
            result.row(
                    moved.size(),
                    takeoverNanos < 0 ? "not seen" : Table.seconds(takeoverNanos / 1e9),
                    last == 0 ? "-" : Table.seconds((last - first) / 1e9),
                    last == 0 ? "-" : Table.rate(events, (last - first) / 1e9),
                    seen.cardinality(),
                    lost,
                    dup,
                    dlq,
                    lag);
            System.out.println();
            System.out.print(result);
            System.out.println(
                    failures.isEmpty()
                            ? "verdict: PASS (lost 0, dup 0, dlq 0, lag 0)"
                            : "verdict: FAIL: " + String.join("; ", failures));
            for (RunProcess p : running.values()) {
                p.sigterm();
            }
            running.clear();
            return failures.isEmpty();
        }

        /** The same events into fresh databases: one process with {@code tasks} workers, then the Connect adapter. */
        void adapterRows(String bootstrap, String mongoUrl, MongoClient client) throws Exception {
            String pipelineDb = "scale_pipe_" + Long.toString(System.nanoTime(), 36);
            Path config = writeConfig(bootstrap, mongoUrl, topic + ".pipe", pipelineDb, tasks, "pipe");
            RunProcess pipe = RunProcess.start(bin, config, log("pipe"), "-Xmx" + heap);
            double[] pipeline;
            try {
                pipeline = measure(client.getDatabase(pipelineDb).getCollection(topic), pipe::isAlive);
            } finally {
                pipe.sigterm();
                client.getDatabase(pipelineDb).drop();
            }
            String adapterDb = "scale_connect_" + Long.toString(System.nanoTime(), 36);
            Map<String, String> worker = new LinkedHashMap<>();
            String bytes = "org.apache.kafka.connect.converters.ByteArrayConverter";
            worker.put("key.converter", bytes);
            worker.put("value.converter", bytes);
            worker.put("header.converter", bytes);
            worker.put("plugin.path", ADAPTER_PLUGIN_PATH.toAbsolutePath().toString());
            worker.put("plugin.discovery", "service_load");
            worker.put("consumer.max.poll.records", "1000");
            Map<String, String> connector = new LinkedHashMap<>();
            connector.put("connector.class", "io.streamloader.connect.StreamloaderSinkConnector");
            connector.put("tasks.max", Integer.toString(tasks));
            connector.put("topics", topic);
            connector.put("streamloader.sink.type", "mongo");
            connector.put(
                    "streamloader.plugins.dir",
                    DISTRIBUTION.resolve("plugins").toAbsolutePath().toString());
            connector.put("streamloader.sink.config.connection-string", mongoUrl);
            connector.put("streamloader.sink.config.database", adapterDb);
            connector.put("errors.tolerance", "all");
            connector.put("errors.deadletterqueue.topic.name", topic + ".connect.dlq");
            connector.put("errors.deadletterqueue.topic.replication.factor", "1");
            double[] adapter;
            try (ConnectWorker connect = ConnectWorker.start(
                    "scale-adapter-" + System.nanoTime(), bootstrap, "mongo", heap, worker, connector)) {
                adapter = measure(
                        client.getDatabase(adapterDb).getCollection(topic),
                        () -> connect.process().isAlive());
            } finally {
                client.getDatabase(adapterDb).drop();
            }
            Table table = new Table("writer (same sink, same events)", "stored", "seconds", "events/s");
            table.row(
                    "streamloader run, " + tasks + " workers",
                    (long) pipeline[0],
                    Table.seconds(pipeline[1]),
                    Table.rate((long) pipeline[0], pipeline[1]));
            table.row(
                    "Connect " + ConnectWorker.KAFKA_CONNECT_VERSION + " + adapter, tasks.max=" + tasks,
                    (long) adapter[0],
                    Table.seconds(adapter[1]),
                    Table.rate((long) adapter[0], adapter[1]));
            System.out.println();
            System.out.print(table);
            System.out.printf(
                    "adapter / pipeline: %.1f %%%n", 100 * (adapter[0] / adapter[1]) / (pipeline[0] / pipeline[1]));
        }

        /** Polls the collection's count until every event is there: {documents timed, seconds}, from the first seen. */
        private double[] measure(MongoCollection<Document> docs, java.util.function.BooleanSupplier alive)
                throws Exception {
            long firstNanos = 0;
            long firstCount = 0;
            long lastProgress = System.nanoTime();
            long seen = 0;
            while (true) {
                long n = docs.countDocuments();
                long now = System.nanoTime();
                if (n > seen) {
                    seen = n;
                    lastProgress = now;
                }
                if (n > 0 && firstNanos == 0) {
                    firstNanos = now;
                    firstCount = n;
                }
                if (n >= events) {
                    return new double[] {n - firstCount, (now - firstNanos) / 1e9};
                }
                if (!alive.getAsBoolean() || now - lastProgress > TimeUnit.MINUTES.toNanos(2)) {
                    throw new IllegalStateException("stalled at " + n + " of " + events + " in " + docs.getNamespace());
                }
                Thread.sleep(250);
            }
        }

        private void start(Path config, String name) throws Exception {
            running.put(name, RunProcess.start(bin, config, log(name), "-Xmx" + heap));
            share.putIfAbsent(name, 0L);
        }

        private Path log(String name) {
            return dir.resolve(name + ".log");
        }

        private long endOffset(int partition) {
            return endOffsetOf(topic, partition);
        }

        private long endOffsetOf(String t, int partition) {
            try {
                var tp = new org.apache.kafka.common.TopicPartition(t, partition);
                return admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                        .partitionResult(tp)
                        .get()
                        .offset();
            } catch (Exception e) {
                throw new IllegalStateException("end offset of " + t + "-" + partition, e);
            }
        }

        private Path writeConfig(String bootstrap, String mongoUrl, String group, String database, int w, String name)
                throws Exception {
            String client = sessionTimeoutMs > 0 && groupProtocol.equals("classic")
                    ? "\n  client: { session.timeout.ms: " + sessionTimeoutMs + " }"
                    : "";
            Path config = dir.resolve(name + ".yaml");
            Files.writeString(config, """
                    kafka:
                      bootstrap-servers: %1$s
                      group-protocol: %2$s%3$s
                    topics:
                      %4$s: { partitions: %5$d }
                    admin: { enabled: false }
                    sinks:
                      docs:
                        type: mongo
                        topics: [%4$s]
                        group-id: %6$s
                        workers: %7$d
                        config: { connection-string: "%8$s", database: %9$s }
                    """.formatted(
                            bootstrap, groupProtocol, client, topic, partitions, group, w, mongoUrl, database));
            return config;
        }
    }
}
