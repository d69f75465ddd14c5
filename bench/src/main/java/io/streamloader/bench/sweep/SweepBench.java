package io.streamloader.bench.sweep;

import io.streamloader.bench.BenchProducer;
import io.streamloader.bench.ChildJvm;
import io.streamloader.bench.JsonPayloads;
import io.streamloader.bench.Table;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.ElasticsearchService;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.PostgresService;
import io.streamloader.devstack.S3Service;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Size and scale sweeps per sink, every row a fresh child JVM at {@code --heap} running Kafka → SinkRunner → sink with
 * default settings: event sizes at 1 worker on the first of {@code --partition-counts}, then {@code --scale-size}
 * events on 1..{@code --max-workers} workers on every partition count. A row stores {@code --events} events of its
 * size (sized so that each row writes for several seconds on an idle box; at most {@code --max-events}). Events/s,
 * MB/s, the row JVM's peak RSS and GC time in the window, the machine's busy share, and CPU per event of the row JVM,
 * of the bench JVM (Kafka broker, and the MongoDB server) and of the store's processes (Elasticsearch; PostgreSQL and
 * the S3 server).
 */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = "Per sink: 100 B / 1 KB / 10 KB / 100 KB events, 1-3 workers, 3 and 12 partitions, -Xmx256m:"
                + " events/s, MB/s, peak RSS, CPU per event.")
public final class SweepBench implements Callable<Integer> {

    @Option(
            names = "--sizes",
            defaultValue = "100,1024,10240,102400",
            split = ",",
            description = "Event sizes in bytes (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(
            names = "--events",
            defaultValue = DEFAULT_EVENTS,
            split = ",",
            description = "Events per row of each size, size=count (default ${DEFAULT-VALUE}); a size not listed:"
                    + " 40 MB of events.")
    Map<Integer, Long> events;

    @Option(
            names = "--max-events",
            defaultValue = "10000000",
            description = "Events per row at most (default ${DEFAULT-VALUE}).")
    long maxEvents;

    @Option(
            names = "--scale-size",
            defaultValue = "1024",
            description = "Event size of the workers × partitions rows (default ${DEFAULT-VALUE}).")
    int scaleSize;

    @Option(
            names = "--max-workers",
            defaultValue = "3",
            description = "Workers of the scale rows, 1 to this (default ${DEFAULT-VALUE}).")
    int maxWorkers;

    @Option(
            names = "--partition-counts",
            defaultValue = "3,12",
            split = ",",
            description = "Partitions of the scale rows (default ${DEFAULT-VALUE}).")
    List<Integer> partitionCounts;

    @Option(
            names = "--sinks",
            defaultValue = "elasticsearch,mongo,postgres-minio",
            split = ",",
            description = "Sinks (default ${DEFAULT-VALUE}).")
    List<String> sinks;

    @Option(
            names = "--es-start-timeout",
            defaultValue = "300",
            description =
                    "Seconds Elasticsearch may take to start (devstack's default is 120; default ${DEFAULT-VALUE}),"
                            + " unless -D" + ElasticsearchService.START_TIMEOUT_PROPERTY + " is set.")
    long esStartSeconds;

    @Option(names = "--heap", defaultValue = "256m", description = "-Xmx of each row's JVM (default ${DEFAULT-VALUE}).")
    String heap;

    /**
     * Events per row by size: 6–12 s of writing per row for the slowest sink on an idle 2-core box, so that the
     * default run (27 rows) fits in 15 minutes with JVM starts, group joins and producing.
     */
    static final String DEFAULT_EVENTS = "100=40000,1024=30000,10240=6000,102400=800";

    /**
     * One printed row, kept for the smoke test; CPU in µs per event, NaN where not sampled.
     *
     * @param gcMs the row JVM's GC time in the timed window (over its whole run where the window was not sampled)
     * @param busyPct share of all the machine's cores busy in the window (any process), NaN where not sampled
     */
    public record Row(
            String sink,
            int size,
            int partitions,
            int workers,
            long events,
            double seconds,
            double perSecond,
            double mbPerSecond,
            long rssMib,
            long gcMs,
            double sinkCpuUs,
            double benchCpuUs,
            double storeCpuUs,
            double busyPct) {}

    private final List<Row> rows = new ArrayList<>();

    public List<Row> rows() {
        return rows;
    }

    /** The rows to run, each {size, partitions, workers}: sizes at 1 worker, then workers × partitions. */
    List<int[]> plan() {
        int sizePartitions = partitionCounts.get(0);
        List<int[]> plan = new ArrayList<>();
        for (int size : sizes) {
            plan.add(new int[] {size, sizePartitions, 1});
        }
        for (int partitions : partitionCounts) {
            for (int workers = 1; workers <= maxWorkers; workers++) {
                if (!(partitions == sizePartitions && workers == 1 && sizes.contains(scaleSize))) {
                    plan.add(new int[] {scaleSize, partitions, workers});
                }
            }
        }
        return plan;
    }

    /** Events a row of {@code size} stores. */
    long eventsPerRow(int size) {
        return Math.max(1, Math.min(maxEvents, events.getOrDefault(size, Math.max(200, 40_000_000L / size))));
    }

    @Override
    public Integer call() throws Exception {
        // on a loaded box Elasticsearch's start exceeded devstack's 120 s (session 8, and here at load 27); it must be
        // set before the service class is first used
        if (System.getProperty(ElasticsearchService.START_TIMEOUT_PROPERTY) == null) {
            System.setProperty(ElasticsearchService.START_TIMEOUT_PROPERTY, Long.toString(esStartSeconds));
        }
        KafkaService kafka = DevStack.kafka();
        Map<String, String> storePids = startStores();
        String stamp = Long.toString(System.currentTimeMillis() % 10_000_000);
        Table table = new Table(
                "sink",
                "event bytes",
                "partitions",
                "workers",
                "events",
                "s",
                "events/s",
                "MB/s",
                "peak RSS MiB",
                "GC ms",
                "sink CPU µs/ev",
                "broker CPU µs/ev",
                "store CPU µs/ev",
                "machine busy %");
        int run = 0;
        long started = System.nanoTime();
        for (int[] p : plan()) {
            int size = p[0];
            int partitions = p[1];
            int workers = p[2];
            long count = eventsPerRow(size);
            String topic = "sweep-" + stamp + "-" + run++;
            kafka.createTopic(topic, partitions);
            kafka.createTopic(topic + ".dlq", 1);
            byte[][] json = JsonPayloads.clicks(100, size);
            // several workers: twice the events, the rebalances while they join are left out (TimedPipeline)
            long produced = workers == 1 ? count : 2 * count;
            BenchProducer.produce(
                    kafka.bootstrapServers(),
                    produced,
                    i -> new ProducerRecord<>(topic, json[(int) (i % json.length)]));
            for (String sink : sinks) {
                List<String> args = new ArrayList<>(List.of(
                        sink,
                        kafka.bootstrapServers(),
                        topic,
                        Long.toString(produced),
                        Integer.toString(workers),
                        storePids.get(sink)));
                for (Map.Entry<String, String> e :
                        config(sink, topic.replace('-', '_')).entrySet()) {
                    args.add(e.getKey() + "=" + e.getValue());
                }
                Map<String, String> r = ChildJvm.run(heap, SweepProbe.class, args.toArray(String[]::new));
                Row row = row(sink, size, partitions, workers, r);
                rows.add(row);
                table.row(
                        sink,
                        size,
                        partitions,
                        workers,
                        row.events(),
                        String.format("%.1f", row.seconds()),
                        String.format("%.0f", row.perSecond()),
                        String.format("%.1f", row.mbPerSecond()),
                        row.rssMib(),
                        row.gcMs(),
                        cpu(row.sinkCpuUs()),
                        cpu(row.benchCpuUs()),
                        cpu(row.storeCpuUs()),
                        cpu(row.busyPct()));
                System.err.printf(
                        "sweep %s: %d B, %d partitions, %d workers: %d events in %.1f s, %.0f/s, %.1f MB/s, RSS %d MiB,"
                                + " GC %d ms, CPU µs/event sink %s broker %s store %s, machine %s %% busy (%.0f s into the"
                                + " sweep)%n",
                        sink,
                        size,
                        partitions,
                        workers,
                        row.events(),
                        row.seconds(),
                        row.perSecond(),
                        row.mbPerSecond(),
                        row.rssMib(),
                        row.gcMs(),
                        cpu(row.sinkCpuUs()),
                        cpu(row.benchCpuUs()),
                        cpu(row.storeCpuUs()),
                        cpu(row.busyPct()),
                        (System.nanoTime() - started) / 1e9);
            }
        }
        System.out.println();
        System.out.printf(
                "Size and scale sweep: Kafka → SinkRunner → sink, defaults, one JVM per row at -Xmx%s; broker CPU = the"
                        + " bench JVM (Kafka broker%s)%n",
                heap, sinks.contains("mongo") ? ", and the MongoDB server in mongo rows" : "");
        System.out.print(table);
        return 0;
    }

    private static Row row(String sink, int size, int partitions, int workers, Map<String, String> r) {
        long n = Long.parseLong(r.get("records"));
        double secs = Double.parseDouble(r.get("seconds"));
        return new Row(
                sink,
                size,
                partitions,
                workers,
                n,
                secs,
                n / secs,
                Long.parseLong(r.get("bytes")) / secs / 1e6,
                Long.parseLong(r.get("rssMib")),
                r.containsKey("gcCpuUs")
                        ? Math.round(Double.parseDouble(r.get("gcCpuUs")) * n / 1000)
                        : Long.parseLong(r.get("gcMs")),
                number(r.get("sinkCpuUs")),
                number(r.get("benchCpuUs")),
                number(r.get("storeCpuUs")),
                number(r.get("busyPct")));
    }

    private static double number(String value) {
        return value == null ? Double.NaN : Double.parseDouble(value);
    }

    private static String cpu(double us) {
        return Double.isNaN(us) ? "-" : String.format("%.0f", us);
    }

    /**
     * Starts every store the sweep writes to before the first row, so that a store's start (Elasticsearch's took 78 s
     * and more than 120 s at load 26–27) neither overlaps a row nor fails one after minutes of rows; returns per sink the pids
     * of its store's processes whose CPU the rows count ({@code -}: none outside the bench JVM).
     */
    private Map<String, String> startStores() {
        Map<String, String> pids = new HashMap<>();
        for (String sink : sinks) {
            long t = System.nanoTime();
            String store = switch (sink) {
                case "elasticsearch" -> {
                    DevStack.elasticsearch();
                    yield descendant("org.elasticsearch.bootstrap.Elasticsearch");
                }
                case "mongo" -> {
                    DevStack.mongo();
                    yield "-"; // in the bench JVM: counted as broker CPU
                }
                case "postgres-minio" -> {
                    PostgresService pg = DevStack.postgres();
                    DevStack.s3();
                    String postmaster = pg.postmasterPid().map(String::valueOf).orElse("-");
                    String s3 = descendant("s3proxy");
                    yield postmaster.equals("-") ? s3 : s3.equals("-") ? postmaster : postmaster + "," + s3;
                }
                default -> throw new IllegalArgumentException("unknown sink " + sink);
            };
            pids.put(sink, store);
            System.err.printf(
                    "sweep: %s's store ready in %.1f s (pids %s)%n", sink, (System.nanoTime() - t) / 1e9, store);
        }
        return pids;
    }

    /** The pid of this JVM's first descendant whose command line contains {@code marker}, or {@code -}. */
    private static String descendant(String marker) {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .findFirst()
                .map(p -> Long.toString(p.pid()))
                .orElse("-");
    }

    /** Each sink's required settings, everything else at its default; a fresh index/collection/schema per row. */
    private static Map<String, String> config(String sink, String name) {
        return switch (sink) {
            case "elasticsearch" -> Map.of("urls", DevStack.elasticsearch().url(), "index", name.replace('_', '-'));
            case "mongo" ->
                Map.of(
                        "connection-string",
                        DevStack.mongo().connectionString(),
                        "database",
                        "bench_sweep",
                        "collection",
                        name);
            case "postgres-minio" -> {
                PostgresService pg = DevStack.postgres();
                S3Service s3 = DevStack.s3();
                yield Map.of(
                        "jdbc.url", pg.jdbcUrl(),
                        "jdbc.user", pg.user(),
                        "jdbc.password", pg.password(),
                        "schema", name,
                        "s3.endpoint", s3.endpoint(),
                        "s3.access-key", s3.accessKey(),
                        "s3.secret-key", s3.secretKey(),
                        "s3.bucket", name.replace('_', '-'));
            }
            default -> throw new IllegalArgumentException("unknown sink " + sink);
        };
    }
}
