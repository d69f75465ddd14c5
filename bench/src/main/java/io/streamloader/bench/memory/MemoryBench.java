package io.streamloader.bench.memory;

import io.streamloader.bench.BenchProducer;
import io.streamloader.bench.JsonPayloads;
import io.streamloader.bench.Table;
import io.streamloader.bench.distribution.RunConfig;
import io.streamloader.bench.distribution.RunProcess;
import io.streamloader.bench.distribution.SinkProgress;
import io.streamloader.bench.distribution.Stores;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The real distribution's {@code streamloader run} with all three built-in sinks in one JVM under a small heap: a
 * topic filled up front, one runner (own consumer group) per sink on it, and the process watched from outside until
 * every group has committed every event. Reports per-sink rates, the process's peak RSS (VmHWM) and whether it
 * survived without an OutOfMemoryError; then stops it with SIGTERM.
 */
@Command(
        name = "memory",
        mixinStandardHelpOptions = true,
        description = "1 KB JSON events through all three sinks in one 'streamloader run' JVM with a small -Xmx:"
                + " no OutOfMemoryError, peak RSS, events/s.")
public final class MemoryBench implements Callable<Integer> {
    static final Path DISTRIBUTION = Path.of("launcher", "target", "streamloader");
    static final String BUILD = "./mvnw -B -q -pl bench,launcher -am package -DskipTests";

    @Option(
            names = "--events",
            defaultValue = "1000000",
            description = "Events to produce and store in every sink (default ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--heap",
            defaultValue = "256m",
            description = "-Xmx of the streamloader run JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--partitions", defaultValue = "3", description = "Topic partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--size", defaultValue = "1024", description = "Bytes per JSON event (default ${DEFAULT-VALUE}).")
    int size;

    @Override
    public Integer call() throws Exception {
        Path bin = DISTRIBUTION.resolve("bin").resolve("streamloader").toAbsolutePath();
        if (!Files.isExecutable(bin) || !Files.isDirectory(DISTRIBUTION.resolve("plugins"))) {
            System.err.println("no distribution at " + DISTRIBUTION.toAbsolutePath() + "; build it with " + BUILD
                    + " (bench/run memory does unless BENCH_SKIP_BUILD=1)");
            return 2;
        }
        KafkaService kafka = DevStack.kafka();
        String name = "bench-memory-" + System.currentTimeMillis();
        kafka.createTopic(name, partitions);
        kafka.createTopic(name + ".dlq", 1);
        Stores stores = new Stores(
                DevStack.elasticsearch(), DevStack.mongo(), DevStack.postgres(), name, name.replace('-', '_'));
        long produceStart = System.nanoTime();
        produce(kafka.bootstrapServers(), name);
        double produceSeconds = (System.nanoTime() - produceStart) / 1e9;

        Path dir = Path.of("bench", "target", "memory", name).toAbsolutePath();
        Files.createDirectories(dir);
        Path config = RunConfig.write(dir, kafka.bootstrapServers(), name, partitions, stores, "", "");
        Path log = dir.resolve("run.log");
        List<SinkProgress> sinks = List.of(
                new SinkProgress("elasticsearch", RunConfig.group(name, "elasticsearch")),
                new SinkProgress("mongo", RunConfig.group(name, "mongo")),
                new SinkProgress("postgres-minio", RunConfig.group(name, "postgres")));

        RunProcess run = RunProcess.start(bin, config, log, javaOptions(dir));
        try (Admin admin = kafka.admin()) {
            Outcome outcome = watch(run, admin, name, sinks);
            return report(stores, sinks, run, log, produceSeconds, outcome) ? 0 : 1;
        } finally {
            run.killIfAlive();
        }
    }

    /** What watching the process found: every group done, or why not. */
    private record Outcome(boolean passed, String failure) {}

    /**
     * Polls every group's committed offsets every 250 ms until each has committed every event, sampling the process's
     * peak RSS as it goes. Stops early when the process exits or no group makes progress for two minutes.
     */
    private Outcome watch(RunProcess run, Admin admin, String topic, List<SinkProgress> sinks) throws Exception {
        long lastProgress = System.nanoTime();
        long lastTotal = 0;
        while (true) {
            run.samplePeakRss();
            if (!run.isAlive()) {
                return new Outcome(false, "the process exited with " + run.exitValue() + " before every sink was done");
            }
            long now = System.nanoTime();
            long total = 0;
            for (SinkProgress sink : sinks) {
                total += sink.observe(SinkProgress.committed(admin, sink.group(), topic), events, now);
            }
            if (sinks.stream().allMatch(SinkProgress::done)) {
                return new Outcome(true, "");
            }
            if (total > lastTotal) {
                lastTotal = total;
                lastProgress = now;
            } else if (now - lastProgress > TimeUnit.MINUTES.toNanos(2)) {
                return new Outcome(false, "no progress for 2 min at " + total + " of " + 3 * events + " commits");
            }
            Thread.sleep(250);
        }
    }

    /** Counts the stores, stops the process with SIGTERM, prints the tables and the verdict; true when it passed. */
    private boolean report(
            Stores stores, List<SinkProgress> sinks, RunProcess run, Path log, double produceSeconds, Outcome outcome)
            throws Exception {
        boolean alive = run.isAlive();
        run.samplePeakRss();
        List<String> failures = new ArrayList<>();
        if (!outcome.passed()) {
            failures.add(outcome.failure());
        }
        List<Long> stored = outcome.passed()
                ? List.of(stores.elasticsearchCount(), stores.mongoCount(), stores.postgresCount())
                : List.of();
        for (int i = 0; i < stored.size(); i++) {
            if (stored.get(i) != events) {
                failures.add(sinks.get(i).name() + " holds " + stored.get(i) + " of " + events + " events");
            }
        }
        RunProcess.Stop stop = alive ? run.sigterm() : null;
        List<String> oom = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains("OutOfMemoryError"))
                .toList();
        if (!oom.isEmpty()) {
            failures.add("OutOfMemoryError in the log: " + oom.getFirst().strip());
        }

        System.out.println();
        System.out.printf(
                "Memory: %d × %d B JSON events, %d partitions, elasticsearch + mongo + postgres-minio (each its own"
                        + " group) in one '%s run' JVM; each sink timed from its first to its last committed event%n",
                events, size, partitions, DISTRIBUTION.resolve("bin").resolve("streamloader"));
        double window = printSinks(sinks, stored, produceSeconds);
        Table process = new Table("process", "heap", "peak RSS MiB", "alive at end", "OutOfMemoryError", "SIGTERM");
        process.row(
                "streamloader run (3 sinks)",
                "-Xmx" + heap,
                run.peakRssMib(),
                alive ? "yes" : "no (exit " + run.exitValue() + ")",
                oom.isEmpty() ? "none in log" : oom.size() + " line(s) in log",
                stop == null ? "-" : "exit " + stop.exitCode() + " after " + Table.seconds(stop.seconds()) + " s");
        System.out.println();
        System.out.print(process);
        if (failures.isEmpty()) {
            System.out.printf(
                    "verdict: PASS, no OutOfMemoryError at -Xmx%s: %d events through all three sinks at %s events/s"
                            + " (%s store writes/s), peak RSS %d MiB%n",
                    heap, events, Table.rate(events, window), Table.rate(3 * events, window), run.peakRssMib());
        } else {
            System.out.printf(
                    "verdict: FAIL at -Xmx%s: %s (peak RSS %d MiB; log %s)%n",
                    heap, String.join("; ", failures), run.peakRssMib(), log);
        }
        return failures.isEmpty();
    }

    /** Prints the per-sink table; returns the seconds from the first sink's first to the last sink's last commit. */
    private double printSinks(List<SinkProgress> sinks, List<Long> stored, double produceSeconds) {
        Table table = new Table("sink", "events timed", "stored", "seconds", "events/s", "MB/s");
        table.row(
                "producer (setup)",
                events,
                "-",
                Table.seconds(produceSeconds),
                Table.rate(events, produceSeconds),
                "-");
        long first = Long.MAX_VALUE;
        long last = 0;
        for (int i = 0; i < sinks.size(); i++) {
            SinkProgress sink = sinks.get(i);
            if (!sink.done()) {
                table.row(sink.name(), sink.seen() + " committed (not done)", "-", "-", "-", "-");
                continue;
            }
            first = Math.min(first, sink.firstNanos());
            last = Math.max(last, sink.lastNanos());
            table.row(
                    sink.name(),
                    sink.measured(),
                    stored.isEmpty() ? "-" : stored.get(i),
                    Table.seconds(sink.seconds()),
                    Table.rate(sink.measured(), sink.seconds()),
                    mbPerSecond(sink.measured(), sink.seconds()));
        }
        double window = (last - first) / 1e9;
        if (sinks.stream().allMatch(SinkProgress::done)) {
            table.row(
                    "all three, one JVM",
                    events,
                    "-",
                    Table.seconds(window),
                    Table.rate(events, window),
                    mbPerSecond(events, window));
        }
        System.out.print(table);
        return window;
    }

    private String mbPerSecond(long n, double seconds) {
        return String.format("%.1f", n * (double) size / seconds / 1e6);
    }

    /** -Xmx plus a heap dump next to the log should it run out, and BENCH_CHILD_JAVA_OPTS (e.g. a JFR recording). */
    private String javaOptions(Path dir) {
        String options = "-Xmx" + heap + " -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=" + dir;
        String extra = System.getenv("BENCH_CHILD_JAVA_OPTS");
        return extra == null || extra.isBlank() ? options : options + " " + extra.trim();
    }

    private void produce(String bootstrap, String topic) throws Exception {
        byte[][] payloads = JsonPayloads.clicks(1000, size);
        BenchProducer.produce(
                bootstrap, events, i -> new ProducerRecord<>(topic, payloads[(int) (i % payloads.length)]));
    }
}
