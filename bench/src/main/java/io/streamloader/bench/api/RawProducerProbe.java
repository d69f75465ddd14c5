package io.streamloader.bench.api;

import io.streamloader.api.KafkaProducerSettings;
import io.streamloader.generator.Clickstream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The baseline: kafka-clients alone sending the records the API would (padded clickstream events, a UUID key, the id
 * and content-type headers) with the API's producer settings ({@code acks=all}, idempotent), in its own JVM. Prints
 * {@code RESULT events=.. seconds=.. eps=..}.
 *
 * <p>Args: bootstrap topic events eventBytes [batchSizeBytes]
 */
public final class RawProducerProbe {

    private RawProducerProbe() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        long events = Long.parseLong(args[2]);
        int eventBytes = Integer.parseInt(args[3]);
        var props = KafkaProducerSettings.forApi(bootstrap, Duration.ofSeconds(30));
        props.put("max.block.ms", 30_000); // only for the first metadata fetch; the API has it warm
        if (args.length > 4) {
            props.put("batch.size", Integer.parseInt(args[4]));
        }
        var clicks = new Clickstream("/", 1, eventBytes, 1);
        var random = new Random(7);
        byte[][] values = new byte[1000][];
        for (int i = 0; i < values.length; i++) {
            values[i] = clicks.event(random).toString().getBytes(StandardCharsets.UTF_8);
        }
        var failed = new AtomicLong();
        long start;
        try (var producer = new KafkaProducer<byte[], byte[]>(props)) {
            producer.partitionsFor(topic); // metadata before the clock starts, as the API has it warm
            start = System.nanoTime();
            for (long i = 0; i < events; i++) {
                byte[] id = new UUID(random.nextLong(), random.nextLong())
                        .toString()
                        .getBytes(StandardCharsets.UTF_8);
                var headers = new RecordHeaders();
                headers.add("sl-event-id", id);
                headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
                producer.send(
                        new ProducerRecord<>(topic, null, id, values[(int) (i % values.length)], headers), (md, e) -> {
                            if (e != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                java.util.Locale.ROOT,
                "RESULT events=%d failed=%d seconds=%.3f eps=%.1f%n",
                events,
                failed.get(),
                seconds,
                events / seconds);
    }
}
