package io.streamloader.core.pipeline;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends events a sink rejected permanently to the dead-letter topic: original key, value and headers, plus the
 * {@code sl.error.*} and {@code sl.source.*} headers saying which sink refused it, why, and where it came from.
 * Thread-safe: a runner's workers share one instance and its idempotent producer.
 */
final class DeadLetterPublisher {
    static final String ERROR_SINK = "sl.error.sink";
    static final String ERROR_REASON = "sl.error.reason";
    static final String ERROR_CLASS = "sl.error.class";
    static final String ERROR_TIME = "sl.error.time";
    static final String SOURCE_TOPIC = "sl.source.topic";
    static final String SOURCE_PARTITION = "sl.source.partition";
    static final String SOURCE_OFFSET = "sl.source.offset";

    /** One record to dead-letter and why. */
    record DeadLetter(ConsumerRecord<ByteBuffer, ByteBuffer> original, String reason, String errorClass) {}

    private final Producer<byte[], byte[]> producer;
    private final RunnerSettings settings;
    private final Duration timeout;

    DeadLetterPublisher(Producer<byte[], byte[]> producer, RunnerSettings settings, Duration timeout) {
        this.producer = producer;
        this.settings = settings;
        this.timeout = timeout;
    }

    /**
     * Sends every letter and waits until Kafka acknowledged all of them.
     *
     * @throws DeadLetterException when any send failed or timed out; the caller retries the whole list (the DLQ may
     *     then hold a letter twice, each carrying its source coordinates)
     */
    void publish(List<DeadLetter> letters) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(letters.size());
        try {
            for (DeadLetter letter : letters) {
                sends.add(producer.send(toRecord(letter)));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (Future<RecordMetadata> send : sends) {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new DeadLetterException(
                    describe(letters) + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new DeadLetterException(describe(letters) + ": not acknowledged within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException(describe(letters) + ": interrupted", e);
        } catch (RuntimeException e) {
            throw new DeadLetterException(describe(letters) + ": " + e.getMessage(), e);
        }
    }

    private String describe(List<DeadLetter> letters) {
        return "could not write " + letters.size() + " event(s) to dead-letter topic "
                + settings.deadLetterTopicFor(letters.getFirst().original().topic());
    }

    private ProducerRecord<byte[], byte[]> toRecord(DeadLetter letter) {
        ConsumerRecord<ByteBuffer, ByteBuffer> source = letter.original();
        Headers headers = new RecordHeaders(source.headers().toArray());
        put(headers, ERROR_SINK, settings.name());
        put(headers, ERROR_REASON, letter.reason());
        put(headers, ERROR_CLASS, letter.errorClass());
        put(headers, ERROR_TIME, Instant.now().toString());
        put(headers, SOURCE_TOPIC, source.topic());
        put(headers, SOURCE_PARTITION, Integer.toString(source.partition()));
        put(headers, SOURCE_OFFSET, Long.toString(source.offset()));
        return new ProducerRecord<>(
                settings.deadLetterTopicFor(source.topic()), null, bytes(source.key()), bytes(source.value()), headers);
    }

    /** The remaining bytes of a consumed buffer (null stays null: a tombstone stays one). */
    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The dead-letter topic did not acknowledge; retried like a transient store failure. */
    static final class DeadLetterException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeadLetterException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
