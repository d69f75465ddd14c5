package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BatchBufferTest {

    static ConsumerRecords<ByteBuffer, ByteBuffer> records(
            String topic, int partition, long from, int count, int valueSize) {
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new ConsumerRecord<>(topic, partition, from + i, null, ByteBuffer.allocate(valueSize)));
        }
        Map<TopicPartition, OffsetAndMetadata> none = Map.of();
        return new ConsumerRecords<>(Map.of(new TopicPartition(topic, partition), list), none);
    }

    @Test
    void cutsBatchesExactlyAtMaxRecords() {
        BatchBuffer buffer = new BatchBuffer(new BatchPolicy(10, 1 << 20, Duration.ofHours(1)));
        buffer.addAll(records("t", 0, 0, 25, 10));
        assertThat(buffer.isDue()).isTrue();
        assertThat(buffer.take())
                .hasSize(10)
                .first()
                .extracting(ConsumerRecord::offset)
                .isEqualTo(0L);
        assertThat(buffer.take())
                .hasSize(10)
                .first()
                .extracting(ConsumerRecord::offset)
                .isEqualTo(10L);
        assertThat(buffer.isDue()).as("5 records left, linger not over").isFalse();
        assertThat(buffer.take()).hasSize(5);
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void cutsBatchesAtMaxBytesButNeverBelowOneRecord() {
        long perRecord = 1000 + 64;
        BatchBuffer buffer = new BatchBuffer(new BatchPolicy(1000, perRecord * 3, Duration.ofHours(1)));
        buffer.addAll(records("t", 0, 0, 7, 1000));
        assertThat(buffer.isDue()).isTrue();
        assertThat(buffer.take()).hasSize(3);

        BatchBuffer tiny = new BatchBuffer(new BatchPolicy(1000, 10, Duration.ofHours(1)));
        tiny.addAll(records("t", 0, 0, 2, 1000));
        assertThat(tiny.take())
                .as("a record larger than maxBytes forms a batch alone")
                .hasSize(1);
    }

    @Test
    void partialBatchIsDueAfterLinger() {
        BatchBuffer buffer = new BatchBuffer(new BatchPolicy(1000, 1 << 20, Duration.ZERO));
        assertThat(buffer.isDue()).as("empty is never due").isFalse();
        buffer.addAll(records("t", 0, 0, 1, 10));
        assertThat(buffer.isDue()).isTrue();
        assertThat(buffer.lingerLeftMillis(200)).isZero();

        BatchBuffer waiting = new BatchBuffer(new BatchPolicy(1000, 1 << 20, Duration.ofHours(1)));
        assertThat(waiting.lingerLeftMillis(200)).isEqualTo(200);
        waiting.addAll(records("t", 0, 0, 1, 10));
        assertThat(waiting.isDue()).isFalse();
    }

    @Test
    void dropsRecordsOfLostPartitions() {
        BatchBuffer buffer = new BatchBuffer(new BatchPolicy(1000, 1 << 20, Duration.ofHours(1)));
        buffer.addAll(records("t", 0, 0, 3, 10));
        buffer.addAll(records("t", 1, 0, 4, 10));
        buffer.dropPartitions(List.of(new TopicPartition("t", 0)));
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> left = buffer.take();
        assertThat(left).hasSize(4).allMatch(r -> r.partition() == 1);
        assertThat(buffer.bytes()).isZero();
    }
}
