package io.streamloader.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The hand-written baseline the pipeline is measured against: the smallest loop a skilled engineer writes to move a
 * topic into a store, {@code poll → write → commitSync}, on {@code threads} threads with a consumer each. The threads
 * split the partitions by {@code assign} (partition p to thread p mod threads), so the loop pays no rebalance; the
 * consumers use kafka-clients' defaults except {@code max.poll.records} (the pipeline's batch size) and no auto-commit.
 * Timed from the first non-empty poll to the commit that covered the {@code count}-th record.
 */
public final class KafkaLoop {
    private KafkaLoop() {}

    /** One thread's store side: writes a poll's records (idempotently, by id) and returns when they are stored. */
    public interface Writer extends AutoCloseable {
        void write(ConsumerRecords<byte[], byte[]> records) throws Exception;
    }

    /** Opens one {@link Writer} per thread (its own connection, as each thread of a real loop would hold one). */
    public interface Writers {
        Writer open() throws Exception;
    }

    public record Result(String group, long events, long bytes, long firstNanos, long lastNanos) {
        public double seconds() {
            return (lastNanos - firstNanos) / 1e9;
        }

        public double perSecond() {
            return events / seconds();
        }
    }

    public static Result run(
            String bootstrap,
            String topic,
            int partitions,
            int threads,
            int maxPollRecords,
            long count,
            Writers writers)
            throws Exception {
        String group = "bench-loop-" + System.nanoTime();
        AtomicLong stored = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        List<Callable<Void>> loops = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<TopicPartition> mine = new ArrayList<>();
            for (int p = t; p < partitions; p += threads) {
                mine.add(new TopicPartition(topic, p));
            }
            loops.add(() -> {
                try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                                Map.of(
                                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                                        ConsumerConfig.GROUP_ID_CONFIG, group,
                                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords),
                                new ByteArrayDeserializer(),
                                new ByteArrayDeserializer());
                        Writer writer = writers.open()) {
                    consumer.assign(mine);
                    while (stored.get() < count) {
                        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                        if (records.isEmpty()) {
                            continue;
                        }
                        first.compareAndSet(0, System.nanoTime());
                        writer.write(records);
                        consumer.commitSync();
                        long b = 0;
                        for (ConsumerRecord<byte[], byte[]> r : records) {
                            b += r.value().length;
                        }
                        bytes.addAndGet(b);
                        if (stored.addAndGet(records.count()) >= count) {
                            last.compareAndSet(0, System.nanoTime());
                        }
                    }
                }
                return null;
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (Future<Void> f : pool.invokeAll(loops)) {
                f.get();
            }
        }
        return new Result(group, stored.get(), bytes.get(), first.get(), last.get());
    }

    /** The id the pipeline gives an event without an id header or key: {@code topic-partition-offset}. */
    public static String id(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "-" + record.offset();
    }
}
