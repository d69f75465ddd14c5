package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.core.pipeline.DeadLetterPublisher.DeadLetter;
import io.streamloader.core.pipeline.DeadLetterPublisher.DeadLetterException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Letters and their size limit, with kafka-clients' MockProducer standing in for the dead-letter topic. */
class DeadLetterPublisherTest {
    private static final int LIMIT = 64 * 1024;

    private final RunnerSettings settings = RunnerSettings.builder("images")
            .type("fake")
            .topics(List.of("uploads"))
            .groupId("g")
            .build();
    private final MockProducer<byte[], byte[]> dlq =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    private DeadLetterPublisher publisher(int limit) {
        return new DeadLetterPublisher(() -> dlq, settings, Duration.ofSeconds(5), topic -> limit);
    }

    private static ConsumerRecord<ByteBuffer, ByteBuffer> source(byte[] key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(
                "uploads",
                2,
                41,
                0L,
                TimestampType.CREATE_TIME,
                key == null ? 0 : key.length,
                value == null ? 0 : value.length,
                key == null ? null : ByteBuffer.wrap(key),
                value == null ? null : ByteBuffer.wrap(value),
                headers,
                Optional.empty());
    }

    private static RecordHeaders originalHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("sl-event-id", bytes("evt-1"));
        headers.add("content-type", bytes("image/png"));
        return headers;
    }

    private static byte[] value(int size) {
        byte[] value = new byte[size];
        for (int i = 0; i < size; i++) {
            value[i] = (byte) ('a' + i % 26);
        }
        return value;
    }

    @Test
    void aLetterThatFitsIsSentWhole() {
        byte[] value = value(1000);
        publisher(LIMIT).publish(List.of(new DeadLetter(source(bytes("k"), value, originalHeaders()), "bad", "E")));

        ProducerRecord<byte[], byte[]> letter = dlq.history().getFirst();
        assertThat(letter.topic()).isEqualTo("uploads.dlq");
        assertThat(letter.value()).isEqualTo(value);
        assertThat(letter.key()).isEqualTo(bytes("k"));
        assertThat(letter.headers().lastHeader(LetterTruncation.TRUNCATED)).isNull();
        assertThat(header(letter, "sl-event-id")).isEqualTo("evt-1");
    }

    @Test
    void aLetterBiggerThanTheLimitKeepsItsHeadersGetsTheMarkerAndFits() {
        byte[] value = value(3 << 20);
        publisher(LIMIT)
                .publish(List.of(new DeadLetter(
                        source(bytes("key-1"), value, originalHeaders()), "mapping refused", "MapperException")));

        assertThat(dlq.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> letter = dlq.history().getFirst();
        assertThat(LetterTruncation.estimatedSize(letter)).isLessThanOrEqualTo(LIMIT);
        assertThat(header(letter, "sl.error.truncated")).isEqualTo("true");
        assertThat(header(letter, "sl.error.original.value.size")).isEqualTo(Integer.toString(3 << 20));
        assertThat(header(letter, "sl-event-id")).isEqualTo("evt-1");
        assertThat(header(letter, "content-type")).isEqualTo("image/png");
        assertThat(header(letter, "sl.error.sink")).isEqualTo("images");
        assertThat(header(letter, "sl.error.reason")).isEqualTo("mapping refused");
        assertThat(header(letter, "sl.error.class")).isEqualTo("MapperException");
        assertThat(header(letter, "sl.source.topic")).isEqualTo("uploads");
        assertThat(header(letter, "sl.source.partition")).isEqualTo("2");
        assertThat(header(letter, "sl.source.offset")).isEqualTo("41");
        assertThat(letter.key()).isEqualTo(bytes("key-1"));
        // as much of the value as fits: a prefix of the original, using the room the headers leave
        assertThat(letter.value()).isEqualTo(Arrays.copyOf(value, letter.value().length));
        assertThat(letter.value().length).isGreaterThan(LIMIT - 2048);
    }

    @Test
    void hugeOriginalHeadersAndKeyAreDroppedBeforeTheLetterFailsToFit() {
        RecordHeaders headers = originalHeaders();
        headers.add("junk", value(200_000));
        publisher(LIMIT)
                .publish(List.of(new DeadLetter(source(value(100_000), value(100_000), headers), "too big", "E")));

        ProducerRecord<byte[], byte[]> letter = dlq.history().getFirst();
        assertThat(LetterTruncation.estimatedSize(letter)).isLessThanOrEqualTo(LIMIT);
        assertThat(header(letter, "sl.error.truncated")).isEqualTo("true");
        assertThat(header(letter, "sl.error.original.headers.dropped")).isEqualTo("3");
        assertThat(header(letter, "sl.error.original.key.size")).isEqualTo("100000");
        assertThat(header(letter, "sl.error.reason")).isEqualTo("too big");
        assertThat(header(letter, "sl.source.offset")).isEqualTo("41");
        assertThat(letter.key()).isNull();
    }

    @Test
    void aLetterRefusedAsTooLargeIsResentSmallerAndMarked() throws InterruptedException {
        MockProducer<byte[], byte[]> manual =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        AtomicInteger refusals = new AtomicInteger();
        Thread broker = Thread.startVirtualThread(() -> {
            // the broker refuses the first send (its limit is lower than we were told), accepts the next
            while (manual.history().size() < 2) {
                if (manual.history().size() == 1
                        && refusals.get() == 0
                        && manual.errorNext(new RecordTooLargeException("too large"))) {
                    refusals.incrementAndGet();
                }
                Thread.onSpinWait();
            }
            while (!manual.completeNext()) {
                Thread.onSpinWait();
            }
        });
        byte[] value = value(50_000);
        new DeadLetterPublisher(() -> manual, settings, Duration.ofSeconds(5), topic -> LIMIT)
                .publish(List.of(new DeadLetter(source(null, value, originalHeaders()), "bad", "E")));

        assertThat(refusals).hasValue(1);
        assertThat(manual.history()).hasSize(2);
        ProducerRecord<byte[], byte[]> resent = manual.history().get(1);
        assertThat(header(resent, "sl.error.truncated")).isEqualTo("true");
        assertThat(header(resent, "sl.error.original.value.size")).isEqualTo("50000");
        assertThat(LetterTruncation.estimatedSize(resent))
                .isLessThanOrEqualTo(
                        LetterTruncation.estimatedSize(manual.history().getFirst()) / 2);
        broker.join(Duration.ofSeconds(5));
        assertThat(broker.isAlive()).isFalse();
    }

    @Test
    void connectHeadersCarryTheSameFacts() {
        publisher(LIMIT).publish(List.of(new DeadLetter(source(null, bytes("{}"), new RecordHeaders()), "r", "C")));

        ProducerRecord<byte[], byte[]> letter = dlq.history().getFirst();
        assertThat(header(letter, "__connect.errors.topic")).isEqualTo("uploads");
        assertThat(header(letter, "__connect.errors.partition")).isEqualTo("2");
        assertThat(header(letter, "__connect.errors.offset")).isEqualTo("41");
        assertThat(header(letter, "__connect.errors.exception.class.name")).isEqualTo("C");
        assertThat(header(letter, "__connect.errors.exception.message")).isEqualTo("r");
        assertThat(header(letter, "__connect.errors.connector.name")).isEqualTo("images");
        assertThat(header(letter, "__connect.errors.stage")).isEqualTo("TASK_PUT");
        assertThat(letter.key()).isNull();
    }

    @Test
    void eachHeaderOptionWritesItsFamiliesOnlyAndDropsForgedOnesOfBoth() {
        for (DeadLetterHeaders family : DeadLetterHeaders.values()) {
            dlq.clear();
            RecordHeaders headers = originalHeaders();
            headers.add("__connect.errors.offset", bytes("forged"));
            headers.add("sl.source.offset", bytes("forged"));
            new DeadLetterPublisher(
                            () -> dlq, settings.withDeadLetterHeaders(family), Duration.ofSeconds(5), topic -> LIMIT)
                    .publish(List.of(new DeadLetter(source(null, bytes("{}"), headers), "r", "C")));

            ProducerRecord<byte[], byte[]> letter = dlq.history().getFirst();
            var names = new java.util.ArrayList<String>();
            letter.headers().forEach(h -> names.add(h.key()));
            var ours = names.stream().filter(n -> n.startsWith("sl.")).toList();
            var connect = names.stream().filter(n -> n.startsWith("__connect.")).toList();
            assertThat(ours)
                    .as(family.configName())
                    .containsExactlyInAnyOrderElementsOf(
                            family == DeadLetterHeaders.CONNECT
                                    ? List.of()
                                    : List.of(
                                            "sl.error.sink",
                                            "sl.error.reason",
                                            "sl.error.class",
                                            "sl.error.time",
                                            "sl.source.topic",
                                            "sl.source.partition",
                                            "sl.source.offset"));
            assertThat(connect)
                    .as(family.configName())
                    .containsExactlyInAnyOrderElementsOf(
                            family == DeadLetterHeaders.STREAMLOADER
                                    ? List.of()
                                    : List.of(
                                            "__connect.errors.topic",
                                            "__connect.errors.partition",
                                            "__connect.errors.offset",
                                            "__connect.errors.connector.name",
                                            "__connect.errors.stage",
                                            "__connect.errors.exception.class.name",
                                            "__connect.errors.exception.message"));
            assertThat(names).contains("sl-event-id", "content-type");
        }
    }

    @Test
    void forgedErrorHeadersOfTheSourceAreReplacedAndHugeReasonsCapped() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("sl.error.reason", bytes("forged"));
        headers.add("sl.error.truncated", bytes("true"));
        String reason = "x".repeat(1 << 20);
        publisher(LIMIT).publish(List.of(new DeadLetter(source(null, bytes("{}"), headers), reason, "C")));

        ProducerRecord<byte[], byte[]> letter = dlq.history().getFirst();
        assertThat(letter.headers().headers("sl.error.reason")).hasSize(1);
        assertThat(header(letter, "sl.error.reason")).hasSize(DeadLetterPublisher.MAX_REASON_CHARS + 3);
        assertThat(letter.headers().lastHeader("sl.error.truncated")).isNull();
    }

    @Test
    void anUnreachableDeadLetterTopicIsAFailedPublishNeverASilentDrop() {
        MockProducer<byte[], byte[]> failing =
                new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        Thread.startVirtualThread(() -> {
            while (!failing.errorNext(new TimeoutException("Topic uploads.dlq not present in metadata"))) {
                Thread.onSpinWait();
            }
        });
        DeadLetterPublisher publisher =
                new DeadLetterPublisher(() -> failing, settings, Duration.ofSeconds(5), topic -> LIMIT);
        assertThatThrownBy(() -> publisher.publish(
                        List.of(new DeadLetter(source(null, bytes("{}"), new RecordHeaders()), "r", "C"))))
                .isInstanceOf(DeadLetterException.class)
                .hasMessageContaining("uploads.dlq")
                .hasMessageContaining("not present in metadata");
        DeadLetterPublisher noBroker = new DeadLetterPublisher(
                () -> {
                    throw new IllegalStateException("cannot read max.message.bytes of topic uploads");
                },
                settings,
                Duration.ofSeconds(5),
                topic -> LIMIT);
        assertThatThrownBy(() -> noBroker.publish(
                        List.of(new DeadLetter(source(null, bytes("{}"), new RecordHeaders()), "r", "C"))))
                .isInstanceOf(DeadLetterException.class)
                .hasMessageContaining("max.message.bytes");
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
