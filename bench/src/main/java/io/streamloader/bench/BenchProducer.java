package io.streamloader.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.LongFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Fills a benchmark topic: {@code acks=all}, large batches, acknowledgements awaited in windows of 50k. */
public final class BenchProducer {
    private static final int WINDOW = 50_000;

    private BenchProducer() {}

    /** Sends {@code events} records made by {@code record(i)} and returns once every one was acknowledged. */
    public static void produce(String bootstrap, long events, LongFunction<ProducerRecord<byte[], byte[]>> record)
            throws Exception {
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
            List<Future<?>> window = new ArrayList<>(WINDOW);
            for (long i = 0; i < events; i++) {
                window.add(producer.send(record.apply(i)));
                if (window.size() == WINDOW) {
                    awaitAll(window);
                }
            }
            awaitAll(window);
        }
    }

    private static void awaitAll(List<Future<?>> window) throws Exception {
        for (Future<?> f : window) {
            f.get();
        }
        window.clear();
    }
}
