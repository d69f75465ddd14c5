package io.streamloader.bench.scale;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.streamloader.bench.BenchProducer;
import io.streamloader.bench.JsonPayloads;
import io.streamloader.bench.Table;
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
 * store (every id once: lost 0, dup 0), the dead-letter topic and the lag. Then, unless {@code --no-rows}, one table
 * of events/s of the same sink on the same events ({@link ThroughputRows}): {@code streamloader run} with 1 and 2
 * processes × 1, 2 and 3 workers, the Kafka Connect adapter in a standalone Connect worker with {@code tasks.max} 1 and
 * 3, and beside it the native MongoDB connector (mongo-kafka-connect) with the same task counts.
 */
@Command(
        name = "scale",
        mixinStandardHelpOptions = true,
        description =
                "N 'streamloader run' processes sharing a mongo sink's group, one killed or leaving mid-way and one"
                        + " joining: per-process share, takeover, lost/dup; then events/s of the pipeline (processes ×"
                        + " workers), the Connect adapter and mongo-kafka-connect (tasks).")
public final class ScaleBench implements Callable<Integer> {
    /** The repository root: the working directory of bench/run, or the parent of bench's own (its tests). */
    static final Path ROOT = (Files.isDirectory(Path.of("bench")) ? Path.of("") : Path.of(".."))
            .toAbsolutePath()
            .normalize();

    static final Path DISTRIBUTION = ROOT.resolve("launcher/target/streamloader");
    static final Path ADAPTER_PLUGIN_PATH = ROOT.resolve("connect-adapter/target/plugin");
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
            names = "--rows-processes",
            split = ",",
            defaultValue = "1,2",
            description = "Process counts of the 'streamloader run' throughput rows (default ${DEFAULT-VALUE}).")
    List<Integer> rowProcesses;

    @Option(
            names = "--rows-workers",
            split = ",",
            defaultValue = "1,2,3",
            description = "Workers per process of the 'streamloader run' throughput rows (default ${DEFAULT-VALUE}).")
    List<Integer> rowWorkers;

    @Option(
            names = "--rows-tasks",
            split = ",",
            defaultValue = "1,3",
            description = "tasks.max of the Connect rows, adapter and mongo-kafka-connect (default ${DEFAULT-VALUE}).")
    List<Integer> rowTasks;

    @Option(
            names = "--rows-heap",
            defaultValue = "512m",
            description = "-Xmx of every writer JVM of the throughput rows (default ${DEFAULT-VALUE}).")
    String rowHeap;

    @Option(
            names = "--connect-max-poll-records",
            defaultValue = "0",
            description = "consumer.max.poll.records of both Connect workers; 0: Connect's default, 500 (default"
                    + " ${DEFAULT-VALUE}).")
    int connectMaxPollRecords;

    @Option(names = "--no-rows", description = "Skip the throughput rows.")
    boolean noRows;

    @Option(names = "--no-group-run", description = "Skip the kill-and-join run; only the throughput rows.")
    boolean noGroupRun;

    private List<ThroughputRows.Row> rows = List.of();

    /** The throughput rows of the last run. */
    List<ThroughputRows.Row> rows() {
        return rows;
    }

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
        Path dir = Files.createDirectories(ROOT.resolve("bench/target/scale/" + topic));
        boolean passed;
        try (Admin admin = kafka.admin();
                MongoClient client = MongoClients.create(mongo.connectionString())) {
            passed = true;
            if (!noGroupRun) {
                ScaleRun run = new ScaleRun(bin, dir, topic, admin);
                passed = run.groupRun(kafka.bootstrapServers(), mongo.connectionString(), client);
            }
            if (!noRows) {
                throughputRows(
                        new ThroughputRows.Setup(
                                bin,
                                dir,
                                kafka.bootstrapServers(),
                                mongo.connectionString(),
                                topic,
                                events,
                                partitions,
                                rowHeap,
                                connectMaxPollRecords),
                        admin,
                        client);
            }
        }
        return passed ? 0 : 1;
    }

    /**
     * The same events, read whole by each row: {@code streamloader run} with every process and worker count that the
     * partitions allow, then the adapter and mongo-kafka-connect in Connect for every task count; one table.
     */
    private void throughputRows(ThroughputRows.Setup setup, Admin admin, MongoClient client) throws Exception {
        long load = System.nanoTime();
        double loadBefore = loadAverage();
        ThroughputRows table = new ThroughputRows(setup, admin, client);
        for (int p : rowProcesses) {
            for (int w : rowWorkers) {
                if (p * w <= partitions) {
                    table.pipeline(p, w);
                }
            }
        }
        for (int t : rowTasks) {
            table.adapter(t);
            table.nativeConnector(t);
        }
        rows = table.rows();
        System.out.println();
        System.out.printf(
                "Throughput: %d × %d B events, %d partitions, mongo sink, one topic filled up front, each row from the"
                        + " earliest offset (-Xmx%s per writer JVM; Connect consumer.max.poll.records %s);"
                        + " load average %.1f before, %.1f after (%.0f s)%n",
                events,
                size,
                partitions,
                rowHeap,
                connectMaxPollRecords > 0 ? Integer.toString(connectMaxPollRecords) : "500 (default)",
                loadBefore,
                loadAverage(),
                (System.nanoTime() - load) / 1e9);
        System.out.print(table.render());
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
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
