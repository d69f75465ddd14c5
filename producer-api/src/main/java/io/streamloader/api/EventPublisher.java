package io.streamloader.api;

import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request's events and waits, on the request's (virtual) thread, until Kafka acknowledged every one of them or
 * the request timeout passed. Anything short of a full acknowledgement is a 503 with {@code Retry-After}, never a 200;
 * the events acknowledged before the failure are listed in the problem so a client can tell what is stored.
 */
final class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final long timeoutNanos;
    private final long retryAfterSeconds;

    EventPublisher(Producer<byte[], byte[]> producer, Duration timeout, long retryAfterSeconds) {
        this.producer = producer;
        this.timeoutNanos = timeout.toNanos();
        this.retryAfterSeconds = retryAfterSeconds;
    }

    List<Delivery> publish(String topic, List<PendingEvent> events) {
        long deadline = System.nanoTime() + timeoutNanos;
        var futures = new ArrayList<Future<RecordMetadata>>(events.size());
        for (PendingEvent event : events) {
            try {
                futures.add(producer.send(record(topic, event)));
            } catch (KafkaException e) {
                // max.block.ms elapsed (no metadata, buffer full) or the producer is closed
                throw unavailable(topic, "Kafka did not accept the event: " + e.getMessage(), List.of());
            }
        }
        var deliveries = new ArrayList<Delivery>(events.size());
        for (int i = 0; i < futures.size(); i++) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                RecordMetadata md = futures.get(i).get(left, TimeUnit.NANOSECONDS);
                deliveries.add(new Delivery(events.get(i).id(), topic, md.partition(), md.offset()));
            } catch (TimeoutException e) {
                throw unavailable(
                        topic,
                        "Kafka did not acknowledge within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms",
                        deliveries);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordTooLargeException tooLarge) {
                    throw ApiProblem.of(413, "Content Too Large", "Kafka refused the event: " + tooLarge.getMessage())
                            .with("field", "/" + i)
                            .with("delivered", deliveries);
                }
                LOG.warn("send to topic {} failed: {}", topic, e.getCause().toString());
                throw unavailable(
                        topic, "Kafka refused the event: " + e.getCause().getMessage(), deliveries);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable(topic, "interrupted while waiting for Kafka", deliveries);
            }
        }
        return deliveries;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, PendingEvent event) {
        var headers = new RecordHeaders();
        headers.add(Event.ID_HEADER, event.id().getBytes(StandardCharsets.UTF_8));
        headers.add(Event.CONTENT_TYPE_HEADER, event.contentType().getBytes(StandardCharsets.UTF_8));
        event.metadata().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
        return new ProducerRecord<>(topic, null, event.key(), event.value(), headers);
    }

    private ApiProblem unavailable(String topic, String detail, List<Delivery> delivered) {
        return ApiProblem.retryLater(503, "Service Unavailable", detail, retryAfterSeconds)
                .with("topic", topic)
                .with("delivered", List.copyOf(delivered));
    }
}
