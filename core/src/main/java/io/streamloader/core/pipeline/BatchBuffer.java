package io.streamloader.core.pipeline;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Records polled but not yet handed to the sink. Cuts batches exactly at {@link BatchPolicy#maxRecords()} and
 * {@link BatchPolicy#maxBytes()}; the remainder waits for the next batch. Confined to its worker thread.
 */
final class BatchBuffer {
    private final BatchPolicy policy;
    private final List<ConsumerRecord<ByteBuffer, ByteBuffer>> records = new ArrayList<>();
    private long bytes;
    private long firstArrivalNanos;

    BatchBuffer(BatchPolicy policy) {
        if (policy.sinkDefaultRecords()) {
            throw new IllegalArgumentException("resolve the sink's default batch size first: " + policy);
        }
        this.policy = policy;
    }

    void addAll(ConsumerRecords<ByteBuffer, ByteBuffer> polled) {
        for (ConsumerRecord<ByteBuffer, ByteBuffer> record : polled) {
            if (records.isEmpty()) {
                firstArrivalNanos = System.nanoTime();
            }
            records.add(record);
            bytes += EventMapper.sizeOf(record);
        }
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    long bytes() {
        return bytes;
    }

    /** A whole batch is waiting: polling more would only grow the buffer past one batch. */
    boolean isFull() {
        return records.size() >= policy.maxRecords() || bytes >= policy.maxBytes();
    }

    /** A batch is due: full by count or bytes, or the oldest record has waited {@link BatchPolicy#maxLinger()}. */
    boolean isDue() {
        return !records.isEmpty()
                && (records.size() >= policy.maxRecords()
                        || bytes >= policy.maxBytes()
                        || System.nanoTime() - firstArrivalNanos
                                >= policy.maxLinger().toNanos());
    }

    /** How long a poll may block before the oldest record's linger runs out, in milliseconds. */
    long lingerLeftMillis(long cap) {
        if (records.isEmpty()) {
            return cap;
        }
        long left = policy.maxLinger().toMillis() - (System.nanoTime() - firstArrivalNanos) / 1_000_000;
        return Math.max(0, Math.min(cap, left));
    }

    /** Removes and returns the next batch: at most maxRecords records and maxBytes bytes, but at least one record. */
    List<ConsumerRecord<ByteBuffer, ByteBuffer>> take() {
        int n = 0;
        long taken = 0;
        while (n < records.size() && n < policy.maxRecords()) {
            long size = EventMapper.sizeOf(records.get(n));
            if (n > 0 && taken + size > policy.maxBytes()) {
                break;
            }
            taken += size;
            n++;
        }
        List<ConsumerRecord<ByteBuffer, ByteBuffer>> batch = new ArrayList<>(records.subList(0, n));
        records.subList(0, n).clear();
        bytes -= taken;
        firstArrivalNanos = System.nanoTime();
        return batch;
    }

    /** Drops buffered records of partitions this worker no longer owns; their new owner reads them again. */
    void dropPartitions(Collection<TopicPartition> lost) {
        if (lost.isEmpty()) {
            return;
        }
        records.removeIf(r -> {
            boolean drop = lost.contains(new TopicPartition(r.topic(), r.partition()));
            if (drop) {
                bytes -= EventMapper.sizeOf(r);
            }
            return drop;
        });
    }
}
