package io.streamloader.core.pipeline;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends events a sink rejected permanently to the dead-letter topic: original key, value and headers, plus the
 * {@code sl.error.*} and {@code sl.source.*} headers saying which sink refused it, why, and where it came from, and/or
 * the same facts under Kafka Connect's {@code __connect.errors.*} names with Connect's meanings, so Connect tooling
 * reads our letters ({@link RunnerSettings#deadLetterHeaders()}). Connect's headers written: {@code topic}, {@code
 * partition}, {@code offset} (the source record), {@code connector.name} (the sink's name), {@code stage} ({@code
 * TASK_PUT}: the sink's write, Connect's {@code SinkTask.put}), {@code exception.class.name} and {@code
 * exception.message}; not {@code task.id}, {@code class.name} or {@code exception.stacktrace}, which have no
 * counterpart here. A source record's own headers of either family are always dropped: a producer must not forge them.
 *
 * <p>A letter always has room: one that would not fit the dead-letter topic's {@code max.message.bytes} (computed
 * before sending, or refused with {@link RecordTooLargeException}) is sent {@linkplain LetterTruncation truncated}
 * instead, marked {@code sl.error.truncated: true}. Thread-safe: a runner's workers share one instance and its
 * idempotent producer.
 */
final class DeadLetterPublisher {
    static final String ERROR_SINK = "sl.error.sink";
    static final String ERROR_REASON = "sl.error.reason";
    static final String ERROR_CLASS = "sl.error.class";
    static final String ERROR_TIME = "sl.error.time";
    static final String SOURCE_TOPIC = "sl.source.topic";
    static final String SOURCE_PARTITION = "sl.source.partition";
    static final String SOURCE_OFFSET = "sl.source.offset";
    static final String CONNECT_TOPIC = "__connect.errors.topic";
    static final String CONNECT_PARTITION = "__connect.errors.partition";
    static final String CONNECT_OFFSET = "__connect.errors.offset";
    static final String CONNECT_EXCEPTION = "__connect.errors.exception.class.name";
    static final String CONNECT_MESSAGE = "__connect.errors.exception.message";
    static final String CONNECT_CONNECTOR = "__connect.errors.connector.name";
    static final String CONNECT_STAGE = "__connect.errors.stage";
    /** Connect's stage for a failure in {@code SinkTask.put}: ours are the sink's write. */
    static final String STAGE_TASK_PUT = "TASK_PUT";
    /** A hostile sink or event can make an exception message of any size; the letter carries at most this much. */
    static final int MAX_REASON_CHARS = 8 * 1024;
    /** How often a letter refused as too large is cut again (to half its size) before the send counts as failed. */
    private static final int TOO_LARGE_ROUNDS = 8;

    /** One record to dead-letter and why. */
    record DeadLetter(ConsumerRecord<ByteBuffer, ByteBuffer> original, String reason, String errorClass) {}

    private final Supplier<Producer<byte[], byte[]>> producer;
    private final RunnerSettings settings;
    private final Duration timeout;
    private final ToIntFunction<String> maxMessageBytes;

    /** With Kafka's default topic limit (1 MiB) for every dead-letter topic. */
    DeadLetterPublisher(Producer<byte[], byte[]> producer, RunnerSettings settings, Duration timeout) {
        this(() -> producer, settings, timeout, topic -> TopicLimits.KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * @param producer gives the producer on first use (it may ask the broker for limits first; what it throws is a
     *     failed publish, retried)
     * @param maxMessageBytes the largest record a dead-letter topic takes; may ask the broker, may throw
     */
    DeadLetterPublisher(
            Supplier<Producer<byte[], byte[]>> producer,
            RunnerSettings settings,
            Duration timeout,
            ToIntFunction<String> maxMessageBytes) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.settings = settings;
        this.timeout = timeout;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Sends every letter and waits until Kafka acknowledged all of them.
     *
     * @throws DeadLetterException when any send failed or timed out; the caller retries the whole list (the DLQ may
     *     then hold a letter twice, each carrying its source coordinates)
     */
    void publish(List<DeadLetter> letters) {
        try {
            Producer<byte[], byte[]> kafka = producer.get();
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(letters.size());
            for (DeadLetter letter : letters) {
                ProducerRecord<byte[], byte[]> full = toRecord(letter);
                records.add(LetterTruncation.fit(full, maxMessageBytes.applyAsInt(full.topic())));
            }
            List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> record : records) {
                sends.add(kafka.send(record));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < sends.size(); i++) {
                await(kafka, records.get(i), sends.get(i), deadline);
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

    /** Waits for one send; a letter refused as too large (by the client or the broker) is cut to half and resent. */
    private void await(
            Producer<byte[], byte[]> kafka,
            ProducerRecord<byte[], byte[]> record,
            Future<RecordMetadata> send,
            long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        for (int round = 0; ; round++) {
            try {
                send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RecordTooLargeException) || round == TOO_LARGE_ROUNDS) {
                    throw e;
                }
                record = LetterTruncation.fit(record, LetterTruncation.estimatedSize(record) / 2);
                send = kafka.send(record);
            }
        }
    }

    private String describe(List<DeadLetter> letters) {
        return "could not write " + letters.size() + " event(s) to dead-letter topic "
                + settings.deadLetterTopicFor(letters.getFirst().original().topic());
    }

    private ProducerRecord<byte[], byte[]> toRecord(DeadLetter letter) {
        ConsumerRecord<ByteBuffer, ByteBuffer> source = letter.original();
        Headers headers = new RecordHeaders();
        for (Header header : source.headers()) {
            if (!isOurs(header.key())) { // a producer must not forge the reason or the source of a letter
                headers.add(header);
            }
        }
        String reason = cap(String.valueOf(letter.reason()));
        String errorClass = cap(String.valueOf(letter.errorClass()));
        String partition = Integer.toString(source.partition());
        String offset = Long.toString(source.offset());
        DeadLetterHeaders family = settings.deadLetterHeaders();
        if (family.streamloader()) {
            put(headers, ERROR_SINK, settings.name());
            put(headers, ERROR_REASON, reason);
            put(headers, ERROR_CLASS, errorClass);
            put(headers, ERROR_TIME, Instant.now().toString());
            put(headers, SOURCE_TOPIC, source.topic());
            put(headers, SOURCE_PARTITION, partition);
            put(headers, SOURCE_OFFSET, offset);
        }
        if (family.connect()) {
            put(headers, CONNECT_TOPIC, source.topic());
            put(headers, CONNECT_PARTITION, partition);
            put(headers, CONNECT_OFFSET, offset);
            put(headers, CONNECT_CONNECTOR, settings.name());
            put(headers, CONNECT_STAGE, STAGE_TASK_PUT);
            put(headers, CONNECT_EXCEPTION, errorClass);
            put(headers, CONNECT_MESSAGE, reason);
        }
        return new ProducerRecord<>(
                settings.deadLetterTopicFor(source.topic()), null, bytes(source.key()), bytes(source.value()), headers);
    }

    /** Headers this class writes; a source record's own copies of them are dropped. */
    static boolean isOurs(String key) {
        return key.startsWith("sl.error.") || key.startsWith("sl.source.") || key.startsWith("__connect.errors.");
    }

    private static String cap(String text) {
        return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "...";
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
