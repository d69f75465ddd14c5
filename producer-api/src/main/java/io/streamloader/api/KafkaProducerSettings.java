package io.streamloader.api;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Producer settings the API relies on. Callers may add to them (security, client id) but not weaken them.
 *
 * <ol>
 *   <li>{@code acks=all} + idempotence: a 200 means every in-sync replica has the event, written once.
 *   <li>{@code linger.ms=5}, {@code batch.size=1 MiB}: concurrent requests share batches; 5 ms is small against the
 *       request timeout and buys most of the batching.
 *   <li>{@code buffer.memory=64 MiB}, the default {@code api.max-in-flight-bytes}: what the API admits fits the
 *       producer's buffer, and both fit a 512 MiB heap.
 *   <li>{@code max.block.ms} half the request timeout, at most 2.5 s: with no broker metadata or a full buffer, {@code
 *       send()} fails within the request's time and the client gets 503 instead of a hanging request; enough for a
 *       first metadata fetch on a busy machine.
 *   <li>{@code delivery.timeout.ms} at least the request timeout: Kafka keeps retrying for as long as the client
 *       waits, so a slow broker is not turned into an error earlier than necessary.
 * </ol>
 */
public final class KafkaProducerSettings {

    private KafkaProducerSettings() {}

    public static Map<String, Object> forApi(String bootstrapServers, Duration requestTimeout) {
        long timeoutMs = requestTimeout.toMillis();
        int kafkaRequestTimeout = (int) Math.max(1000, Math.min(timeoutMs, 30_000));
        int linger = 5;
        var p = new HashMap<String, Object>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, linger);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 << 20);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1L, Math.min(2500L, timeoutMs / 2)));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, kafkaRequestTimeout);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeoutMs, kafkaRequestTimeout + linger));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }
}
