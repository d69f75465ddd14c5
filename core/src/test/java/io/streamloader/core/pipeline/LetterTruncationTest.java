package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** The size estimate against Kafka's own encoding, and the truncation's guarantees on varied records. */
class LetterTruncationTest {
    private final Random random = new Random(14);

    @Test
    void theEstimateIsNeverBelowTheSizeKafkaEncodesAndCountsAgainstMaxMessageBytes() {
        for (int i = 0; i < 500; i++) {
            ProducerRecord<byte[], byte[]> record = randomRecord();
            int encoded = MemoryRecords.withRecords(
                            Compression.NONE,
                            new SimpleRecord(
                                    System.currentTimeMillis(),
                                    record.key(),
                                    record.value(),
                                    record.headers().toArray()))
                    .sizeInBytes();
            assertThat(LetterTruncation.estimatedSize(record))
                    .as("record %d", i)
                    .isGreaterThanOrEqualTo(encoded);
            assertThat(LetterTruncation.estimatedSize(record)).isLessThan(encoded + 128 + 10 * 20);
        }
    }

    @Test
    void aTruncatedRecordFitsItsLimitKeepsTheLettersOwnHeadersAndAValuePrefix() {
        for (int i = 0; i < 500; i++) {
            ProducerRecord<byte[], byte[]> record = randomRecord();
            record.headers().add("sl.error.reason", bytes("reason " + i));
            record.headers().add("sl.source.offset", bytes(Integer.toString(i)));
            int limit = 2048 + random.nextInt(200_000);
            ProducerRecord<byte[], byte[]> fitted = LetterTruncation.fit(record, limit);

            assertThat(LetterTruncation.estimatedSize(fitted)).isLessThanOrEqualTo(limit);
            assertThat(new String(fitted.headers().lastHeader("sl.error.reason").value(), StandardCharsets.UTF_8))
                    .isEqualTo("reason " + i);
            assertThat(fitted.headers().lastHeader("sl.source.offset")).isNotNull();
            if (fitted == record) {
                assertThat(LetterTruncation.estimatedSize(record)).isLessThanOrEqualTo(limit);
                continue;
            }
            assertThat(fitted.headers().lastHeader("sl.error.truncated").value())
                    .isEqualTo(bytes("true"));
            assertThat(fitted.value()).isEqualTo(java.util.Arrays.copyOf(record.value(), fitted.value().length));
            assertThat(fitted.topic()).isEqualTo(record.topic());
        }
    }

    private ProducerRecord<byte[], byte[]> randomRecord() {
        RecordHeaders headers = new RecordHeaders();
        for (int h = random.nextInt(12); h > 0; h--) {
            headers.add("h" + random.nextInt(1000) + "é", randomBytes(random.nextInt(4) == 0 ? 30_000 : 40));
        }
        byte[] key = random.nextBoolean() ? null : randomBytes(random.nextInt(3) == 0 ? 50_000 : 20);
        byte[] value = randomBytes(random.nextInt(4) == 0 ? 400_000 : random.nextInt(5000));
        return new ProducerRecord<>("t.dlq", null, key, value, headers);
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
