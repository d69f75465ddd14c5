package io.streamloader.rollup;

import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Sends click events as producer-api records them: key and {@code sl-event-id} header = the event id. */
final class TestingClickProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    TestingClickProducer(String bootstrapServers) {
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        5),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** Sends one event and waits for the broker's acknowledgement. */
    void send(String topic, String id, String value) {
        sendAsync(topic, id, value);
        flush();
    }

    void sendAsync(String topic, String id, String value) {
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8));
        record.headers().add(Event.ID_HEADER, key);
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                throw new IllegalStateException("producing " + id + " failed", e);
            }
        });
    }

    /** Waits until everything sent so far is acknowledged. */
    void flush() {
        producer.flush();
    }

    /** Sends and waits, failing on the first unacknowledged record. */
    void sendAll(String topic, Iterable<TestingClicks.Posted> clicks) {
        var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
        for (TestingClicks.Posted c : clicks) {
            byte[] key = c.id().getBytes(StandardCharsets.UTF_8);
            ProducerRecord<byte[], byte[]> record =
                    new ProducerRecord<>(topic, key, c.json().getBytes(StandardCharsets.UTF_8));
            record.headers().add(Event.ID_HEADER, key);
            futures.add(producer.send(record));
        }
        try {
            for (var f : futures) {
                f.get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("producing clicks to " + topic + " failed", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
