package io.streamloader.bench.sweep;

import io.streamloader.bench.ChildJvm;
import io.streamloader.bench.CpuSampler;
import io.streamloader.bench.TimedPipeline;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.sink.elasticsearch.ElasticsearchSinkFactory;
import io.streamloader.sink.mongo.MongoSinkFactory;
import io.streamloader.sink.postgresminio.PostgresMinioSinkFactory;
import io.streamloader.spi.SinkFactory;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Child-JVM side of {@link SweepBench}: Kafka → SinkRunner → one sink with the runner's and the sink's default
 * settings, {@code workers} workers, until {@code count} events are stored; prints a RESULT line with the rate, the
 * JVM's peak RSS, its GC time (the whole run, and per event in the window) and the CPU per event in the timed window
 * of this JVM ({@code sink}), of its parent (the bench JVM: the Kafka broker, and the MongoDB server) and of the
 * store's processes. Arguments: sink bootstrap topic count workers storePids (comma-separated, {@code -} for none),
 * then the sink's config as key=value pairs.
 */
public final class SweepProbe {
    public static void main(String[] args) throws Exception {
        String sink = args[0];
        String bootstrap = args[1];
        String topic = args[2];
        long count = Long.parseLong(args[3]);
        int workers = Integer.parseInt(args[4]);
        Map<String, LongSupplier> groups = new LinkedHashMap<>();
        groups.put("sink", CpuSampler.process(ProcessHandle.current()));
        ProcessHandle.current().parent().ifPresent(p -> groups.put("bench", CpuSampler.process(p)));
        if (!args[5].equals("-")) {
            LongSupplier[] stores = Arrays.stream(args[5].split(","))
                    .map(pid -> CpuSampler.tree(() -> ProcessHandle.of(Long.parseLong(pid))))
                    .toArray(LongSupplier[]::new);
            groups.put(
                    "store",
                    () -> Arrays.stream(stores)
                            .mapToLong(LongSupplier::getAsLong)
                            .sum());
        }
        // GC pause time as if it were CPU ticks (1/100 s), so the sampler reports it for the timed window: "gcCpuUs"
        groups.put("gc", () -> gcMillis() / 10);
        Map<String, String> config = new HashMap<>();
        for (int i = 6; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            config.put(kv[0], kv[1]);
        }
        SinkFactory<?> factory = switch (sink) {
            case "elasticsearch" -> new ElasticsearchSinkFactory();
            case "mongo" -> new MongoSinkFactory();
            case "postgres-minio" -> new PostgresMinioSinkFactory();
            default -> throw new IllegalArgumentException("unknown sink " + sink);
        };
        // what a runner gets with no batch: section: the sink's records, 8 MiB, 200 ms linger
        BatchPolicy defaults = new BatchPolicy(
                BatchPolicy.SINK_DEFAULT_RECORDS, BatchPolicy.DEFAULT.maxBytes(), BatchPolicy.DEFAULT.maxLinger());
        TimedPipeline.Result r;
        String cpuFields;
        try (CpuSampler cpu = CpuSampler.start(groups)) {
            r = TimedPipeline.run(factory, config, bootstrap, topic, workers, defaults, count);
            cpuFields = cpu == null ? "" : cpu.resultFields(r.firstNanos(), r.lastNanos(), r.events());
        }
        System.out.printf(
                "RESULT records=%d bytes=%d seconds=%.3f rssMib=%d heapMaxMib=%d gcMs=%d%s%n",
                r.events(),
                r.bytes(),
                (r.lastNanos() - r.firstNanos()) / 1e9,
                ChildJvm.peakRssMib(),
                Runtime.getRuntime().maxMemory() >> 20,
                gcMillis(),
                cpuFields);
        System.exit(0);
    }

    /** Time this JVM's collectors spent collecting (G1: the young and mixed pauses, and the concurrent cycles). */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }

    private SweepProbe() {}
}
