package io.streamloader.bench.sweep;

import io.streamloader.bench.ChildJvm;
import io.streamloader.bench.TimedPipeline;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.sink.elasticsearch.ElasticsearchSinkFactory;
import io.streamloader.sink.mongo.MongoSinkFactory;
import io.streamloader.sink.postgres.PostgresMinioSinkFactory;
import io.streamloader.spi.SinkFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Child-JVM side of {@link SweepBench}: Kafka → SinkRunner → one sink with the runner's and the sink's default
 * settings, {@code workers} workers, until {@code count} events are stored; prints a RESULT line with the rate and
 * the JVM's peak RSS. Arguments: sink bootstrap topic count workers, then the sink's config as key=value pairs.
 */
public final class SweepProbe {
    public static void main(String[] args) throws Exception {
        String sink = args[0];
        String bootstrap = args[1];
        String topic = args[2];
        long count = Long.parseLong(args[3]);
        int workers = Integer.parseInt(args[4]);
        Map<String, String> config = new HashMap<>();
        for (int i = 5; i < args.length; i++) {
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
        TimedPipeline.Result r = TimedPipeline.run(factory, config, bootstrap, topic, workers, defaults, count);
        System.out.printf(
                "RESULT records=%d bytes=%d seconds=%.3f rssMib=%d heapMaxMib=%d%n",
                r.events(),
                r.bytes(),
                (r.lastNanos() - r.firstNanos()) / 1e9,
                ChildJvm.peakRssMib(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.exit(0);
    }
}
