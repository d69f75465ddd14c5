package io.streamloader.bench.sweep;

import io.streamloader.bench.BenchProducer;
import io.streamloader.bench.ChildJvm;
import io.streamloader.bench.JsonPayloads;
import io.streamloader.bench.Table;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.PostgresService;
import io.streamloader.devstack.S3Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Size and scale sweeps per sink, every row a fresh child JVM at {@code --heap} running Kafka → SinkRunner → sink with
 * default settings: event sizes at 1 worker on {@code --partitions} partitions, then 1..{@code --max-workers} workers
 * on 3 and 12 partitions at 1 KB. Each row stores about {@code --mb} MB (at least 200 events, at most {@code
 * --max-events}). Events/s, MB/s and the JVM's peak RSS per row.
 */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = "Per sink: 100 B / 1 KB / 10 KB / 100 KB events, 1-3 workers, 3 and 12 partitions, -Xmx256m:"
                + " events/s, MB/s, peak RSS.")
public final class SweepBench implements Callable<Integer> {

    @Option(
            names = "--sizes",
            defaultValue = "100,1024,10240,102400",
            split = ",",
            description = "Event sizes in bytes (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--mb", defaultValue = "200", description = "MB of events per row (default ${DEFAULT-VALUE}).")
    long mb;

    @Option(
            names = "--max-events",
            defaultValue = "500000",
            description = "Events per row at most (default ${DEFAULT-VALUE}).")
    long maxEvents;

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

    @Option(names = "--heap", defaultValue = "256m", description = "-Xmx of each row's JVM (default ${DEFAULT-VALUE}).")
    String heap;

    /** One printed row, kept for the smoke test. */
    public record Row(
            String sink,
            int size,
            int partitions,
            int workers,
            long events,
            double perSecond,
            double mbPerSecond,
            long rssMib) {}

    private final List<Row> rows = new ArrayList<>();

    public List<Row> rows() {
        return rows;
    }

    @Override
    public Integer call() throws Exception {
        KafkaService kafka = DevStack.kafka();
        String stamp = Long.toString(System.currentTimeMillis() % 10_000_000);
        Table table =
                new Table("sink", "event bytes", "partitions", "workers", "events", "events/s", "MB/s", "peak RSS MiB");
        int run = 0;
        int sizePartitions = partitionCounts.get(0);
        // size rows: 1 worker on the first partition count; scale rows: 1 KB, every partition count, 1..max workers
        List<int[]> plan = new ArrayList<>(); // {size, partitions, workers}
        for (int size : sizes) {
            plan.add(new int[] {size, sizePartitions, 1});
        }
        for (int partitions : partitionCounts) {
            for (int workers = 1; workers <= maxWorkers; workers++) {
                if (!(partitions == sizePartitions && workers == 1 && sizes.contains(1024))) {
                    plan.add(new int[] {1024, partitions, workers});
                }
            }
        }
        for (int[] p : plan) {
            int size = p[0];
            int partitions = p[1];
            int workers = p[2];
            long events = Math.max(200, Math.min(maxEvents, mb * 1_000_000 / size));
            String topic = "sweep-" + stamp + "-" + run++;
            kafka.createTopic(topic, partitions);
            kafka.createTopic(topic + ".dlq", 1);
            byte[][] json = JsonPayloads.clicks(100, size);
            // several workers: twice the events, the rebalances while they join are left out (TimedPipeline)
            long produced = workers == 1 ? events : 2 * events;
            BenchProducer.produce(
                    kafka.bootstrapServers(),
                    produced,
                    i -> new ProducerRecord<>(topic, json[(int) (i % json.length)]));
            for (String sink : sinks) {
                List<String> args = new ArrayList<>(List.of(
                        sink, kafka.bootstrapServers(), topic, Long.toString(produced), Integer.toString(workers)));
                for (Map.Entry<String, String> e :
                        config(sink, topic.replace('-', '_')).entrySet()) {
                    args.add(e.getKey() + "=" + e.getValue());
                }
                Map<String, String> r = ChildJvm.run(heap, SweepProbe.class, args.toArray(String[]::new));
                long n = Long.parseLong(r.get("records"));
                double secs = Double.parseDouble(r.get("seconds"));
                Row row = new Row(
                        sink,
                        size,
                        partitions,
                        workers,
                        n,
                        n / secs,
                        Long.parseLong(r.get("bytes")) / secs / 1e6,
                        Long.parseLong(r.get("rssMib")));
                rows.add(row);
                table.row(
                        sink,
                        size,
                        partitions,
                        workers,
                        n,
                        String.format("%.0f", row.perSecond()),
                        String.format("%.1f", row.mbPerSecond()),
                        row.rssMib());
            }
        }
        System.out.println();
        System.out.printf(
                "Size and scale sweep: Kafka → SinkRunner → sink, defaults, one JVM per row at -Xmx%s%n", heap);
        System.out.print(table);
        return 0;
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
