package io.streamloader.bench.pipeline;

import io.streamloader.bench.ChildJvm;
import io.streamloader.bench.TimedPipeline;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.WriteResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Child-JVM side of {@link PipelineBench}: reads {@code count} records either with a bare kafka-clients consumer
 * ({@code raw}) or through a {@link SinkRunner} into a no-op sink ({@code pipeline}), and prints a RESULT line.
 */
public final class ConsumeProbe {
    private static volatile long firstNanos;
    private static volatile long lastNanos;
    /** Events in the timed window when the pipeline left some out (TimedPipeline); -1: all of them. */
    private static volatile long timedRecords = -1;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String bootstrap = args[1];
        String topic = args[2];
        long count = Long.parseLong(args[3]);
        int workers = Integer.parseInt(args[4]);
        long bytes = switch (mode) {
            case "raw" -> raw(bootstrap, topic, count, Map.of());
            // the fetch size the pipeline's consumers use (SinkRunner), so that this row differs only by the pipeline
            case "raw-fetch" ->
                raw(bootstrap, topic, count, Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20));
            default -> pipeline(bootstrap, topic, count, workers);
        };
        // from the first record to the last: group join and JVM start are the same for both readers and not throughput
        double seconds = (lastNanos - firstNanos) / 1e9;
        System.out.printf(
                "RESULT records=%d bytes=%d seconds=%.3f rssMib=%d heapMaxMib=%d%n",
                timedRecords < 0 ? count : timedRecords,
                bytes,
                seconds,
                ChildJvm.peakRssMib(),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static long raw(String bootstrap, String topic, long count, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "bench-raw-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                1000));
        long seen = 0;
        long bytes = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (seen < count) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (seen++ == 0) {
                        firstNanos = System.nanoTime();
                    }
                    bytes += record.value().length;
                }
            }
            lastNanos = System.nanoTime();
            consumer.commitSync();
        }
        return bytes;
    }

    private static long pipeline(String bootstrap, String topic, long count, int workers) throws InterruptedException {
        SinkFactory<String> noop = new SinkFactory<>() {
            @Override
            public String type() {
                return "noop";
            }

            @Override
            public String parse(SinkContext context) {
                return context.name();
            }

            @Override
            public Sink open(SinkContext context, String config) {
                return () -> batch -> WriteResult.success();
            }
        };
        TimedPipeline.Result result = TimedPipeline.run(
                noop,
                Map.of(),
                bootstrap,
                topic,
                workers,
                new BatchPolicy(1000, 8L << 20, Duration.ofMillis(100)),
                count);
        firstNanos = result.firstNanos();
        lastNanos = result.lastNanos();
        timedRecords = result.events();
        return result.bytes();
    }
}
