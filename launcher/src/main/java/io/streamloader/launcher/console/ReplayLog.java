package io.streamloader.launcher.console;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The replay record that survives a restart and is shared by every process (the admin endpoint of each launcher and
 * the {@code dlq} command): a compacted topic, {@value #TOPIC}, keyed by the letter's {@code dlq/partition/offset}, one
 * record per letter replayed, written once Kafka acknowledged the replayed event. A letter found there is not sent
 * again. It keeps records for {@value #RETENTION_DAYS} days ({@code compact,delete}): longer than a dead-letter
 * topic's default retention, so a letter is gone before its record.
 */
final class ReplayLog {
    /** The topic holding the record; created (one partition, compacted) on the first replay. */
    static final String TOPIC = "streamloader.replays";

    static final int RETENTION_DAYS = 30;

    private final Map<String, Object> kafka;
    private final Duration timeout;

    ReplayLog(Map<String, Object> kafka, Duration timeout) {
        this.kafka = Map.copyOf(kafka);
        this.timeout = timeout;
    }

    /**
     * The letters of {@code dlqTopics} replayed before, read to the topic's end with {@code store}'s consumer; empty
     * when the topic does not exist yet.
     *
     * @throws KafkaException when the record cannot be read in full in time (replaying without it could repeat)
     */
    Set<String> replayed(DeadLetterStore store, KafkaConsumer<byte[], byte[]> consumer, List<String> dlqTopics) {
        List<TopicPartition> partitions = store.partitions(consumer, TOPIC);
        Set<String> replayed = new HashSet<>();
        if (partitions.isEmpty()) {
            return replayed;
        }
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, long[]> ranges = new HashMap<>();
        partitions.forEach(tp -> ranges.put(tp, new long[] {begin.get(tp), end.get(tp) - 1}));
        boolean complete = store.read(consumer, ranges, record -> {
            if (record.key() == null) {
                return;
            }
            String letter = new String(record.key(), StandardCharsets.UTF_8);
            if (dlqTopics.stream().anyMatch(t -> letter.startsWith(t + "/"))) {
                if (record.value() == null) {
                    replayed.remove(letter);
                } else {
                    replayed.add(letter);
                }
            }
        });
        consumer.unsubscribe();
        if (!complete) {
            throw new KafkaException(
                    "the replay record (topic " + TOPIC + ") could not be read in " + timeout + "; nothing replayed");
        }
        return replayed;
    }

    /** Creates the topic unless it exists: one partition, compacted, records kept {@value #RETENTION_DAYS} days. */
    void ensureTopic() {
        try (Admin admin = Admin.create(kafka)) {
            NewTopic topic = new NewTopic(TOPIC, java.util.Optional.of(1), java.util.Optional.empty())
                    .configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                            TopicConfig.RETENTION_MS_CONFIG,
                            Long.toString(Duration.ofDays(RETENTION_DAYS).toMillis())));
            admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("cannot create the replay record topic " + TOPIC + ": " + e.getCause(), e);
            }
        } catch (TimeoutException e) {
            throw new KafkaException("creating the replay record topic " + TOPIC + " took over " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating " + TOPIC, e);
        }
    }

    /** Records {@code letter} as replayed to {@code target} at {@code time} by {@code who}; sent with the producer. */
    static ProducerRecord<byte[], byte[]> entry(String letter, String target, String time, String who) {
        var value = ConsoleJson.object().put("to", target).put("at", time).put("by", who);
        return new ProducerRecord<>(TOPIC, letter.getBytes(StandardCharsets.UTF_8), ConsoleJson.bytes(value));
    }

    /** Sends {@code entries} and waits until Kafka acknowledged them all. */
    void record(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> entries) {
        var futures = entries.stream().map(producer::send).toList();
        producer.flush();
        try {
            for (var f : futures) {
                f.get(timeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("the replay record (topic " + TOPIC + ") was not written: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while writing " + TOPIC, e);
        }
    }
}
