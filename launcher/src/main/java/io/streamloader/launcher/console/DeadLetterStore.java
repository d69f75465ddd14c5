package io.streamloader.launcher.console;

import io.streamloader.core.pipeline.RunnerSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a sink's dead-letter topics with a short-lived consumer that joins no group (assign and seek; nothing is
 * committed, no sink's offsets are touched), bounded in records, bytes per fetch and time.
 */
public final class DeadLetterStore {
    /** Letters a listing returns at most. */
    public static final int MAX_LIMIT = 500;
    /** Letters per partition a listing scans for its counts by reason (the newest ones). */
    public static final int SCAN_PER_PARTITION = 5_000;

    private final Map<String, Object> kafka;
    private final Duration timeout;
    private final String clientPrefix;

    /**
     * @param kafka client properties (bootstrap servers, security)
     * @param timeout how long one listing or scan may read
     */
    public DeadLetterStore(Map<String, Object> kafka, Duration timeout) {
        this(kafka, timeout, "sl-console-dlq-");
    }

    /** A reader whose consumers' client ids start with {@code clientPrefix} (the flows views read other topics). */
    DeadLetterStore(Map<String, Object> kafka, Duration timeout, String clientPrefix) {
        this.kafka = Map.copyOf(kafka);
        this.timeout = timeout;
        this.clientPrefix = clientPrefix;
    }

    /** The sink's dead-letter topics, one per source topic, in order and without repeats. */
    public static List<String> topics(RunnerSettings sink) {
        return sink.topics().stream().map(sink::deadLetterTopicFor).distinct().toList();
    }

    /**
     * A listing of the sink's dead letters.
     *
     * @param total letters in the dead-letter topics (end minus start offsets)
     * @param scanned letters read for {@code counts} (the newest ones, up to {@link #SCAN_PER_PARTITION} a partition)
     * @param counts letters among the scanned ones by {@link DeadLetter#reasonGroup() reason group}
     * @param letters the newest ones, newest first
     * @param missing dead-letter topics that do not exist (yet)
     * @param complete false when the time ran out before everything scanned was read
     */
    public record Listing(
            long total,
            long scanned,
            Map<String, Long> counts,
            List<DeadLetter> letters,
            List<String> missing,
            boolean complete) {}

    /**
     * Which letters a listing or replay looks at: those whose record timestamp is {@code since} (epoch ms) or later,
     * whose reason starts with {@code reason} (all when empty).
     */
    public record Filter(long since, Optional<String> reason) {
        public static final Filter ALL = new Filter(0, Optional.empty());

        public boolean matches(ConsumerRecord<byte[], byte[]> record) {
            return record.timestamp() >= since
                    && reason.map(r -> DeadLetter.header(record, DeadLetter.REASON)
                                    .orElse("")
                                    .startsWith(r))
                            .orElse(true);
        }
    }

    /** The newest {@code limit} letters of the sink (at most {@link #MAX_LIMIT}) and counts by reason. */
    public Listing list(RunnerSettings sink, int limit) {
        return list(sink, limit, Filter.ALL);
    }

    /**
     * The newest {@code limit} letters of the sink (at most {@link #MAX_LIMIT}) that {@code filter} takes, and their
     * counts by reason, among the newest {@link #SCAN_PER_PARTITION} letters a partition (since {@code filter.since}).
     */
    public Listing list(RunnerSettings sink, int limit, Filter filter) {
        int wanted = Math.clamp(limit, 1, MAX_LIMIT);
        List<String> missing = new ArrayList<>();
        Map<String, Long> counts = new TreeMap<>();
        Comparator<DeadLetter> newestFirst = Comparator.comparingLong(DeadLetter::timestamp)
                .thenComparingLong(DeadLetter::offset)
                .reversed();
        // the newest ones kept so far, oldest at the head, so a newer one replaces it
        PriorityQueue<DeadLetter> newest = new PriorityQueue<>(newestFirst.reversed());
        long[] totals = new long[2];
        boolean complete;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            Map<TopicPartition, long[]> ranges = new HashMap<>();
            for (String topic : topics(sink)) {
                List<TopicPartition> partitions = partitions(consumer, topic);
                if (partitions.isEmpty()) {
                    missing.add(topic);
                    continue;
                }
                Map<TopicPartition, Long> begin = startsAt(consumer, partitions, filter.since());
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
                for (TopicPartition tp : partitions) {
                    long first = Math.min(begin.get(tp), end.get(tp));
                    totals[0] += end.get(tp) - first;
                    long from = Math.max(first, end.get(tp) - Math.max(wanted, SCAN_PER_PARTITION));
                    ranges.put(tp, new long[] {from, end.get(tp) - 1});
                }
            }
            complete = read(consumer, ranges, record -> {
                if (!filter.matches(record)) {
                    return;
                }
                totals[1]++;
                DeadLetter letter = DeadLetter.of(record);
                counts.merge(letter.reasonGroup(), 1L, Long::sum);
                newest.add(letter);
                if (newest.size() > wanted) {
                    newest.poll();
                }
            });
        }
        List<DeadLetter> letters = new ArrayList<>(newest);
        letters.sort(newestFirst);
        return new Listing(totals[0], totals[1], counts, List.copyOf(letters), missing, complete);
    }

    /**
     * The first offset of each partition whose record's timestamp is {@code since} or later (the end offset when none
     * is); the beginning offsets when {@code since} is 0.
     */
    Map<TopicPartition, Long> startsAt(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, long since) {
        Map<TopicPartition, Long> begin = new HashMap<>(consumer.beginningOffsets(partitions, timeout));
        if (since <= 0) {
            return begin;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = found.get(tp);
            begin.put(tp, at == null ? end.get(tp) : Math.max(begin.get(tp), at.offset()));
        }
        return begin;
    }

    /** The record at {@code offset} of {@code partition}, if it is there (not removed by retention or compaction). */
    public Optional<ConsumerRecord<byte[], byte[]>> one(TopicPartition partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            if (partitions(consumer, partition.topic()).stream().noneMatch(partition::equals)) {
                return Optional.empty();
            }
            if (offset >= consumer.endOffsets(List.of(partition), timeout).get(partition)) {
                return Optional.empty(); // not written yet: reading would wait for the timeout
            }
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>(1);
            read(consumer, Map.of(partition, new long[] {offset, offset}), found::add);
            return found.stream().findFirst();
        }
    }

    /**
     * Reads every record of {@code ranges} (inclusive offsets per partition) in offset order per partition, until all
     * are read or the time is up; returns whether all were read.
     */
    boolean read(
            KafkaConsumer<byte[], byte[]> consumer,
            Map<TopicPartition, long[]> ranges,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<TopicPartition, long[]> open = new HashMap<>();
        ranges.forEach((tp, range) -> {
            if (range[0] <= range[1]) {
                open.put(tp, range);
            }
        });
        consumer.assign(open.keySet());
        open.forEach((tp, range) -> consumer.seek(tp, range[0]));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            var records = consumer.poll(Duration.ofMillis(Math.max(1, Math.min(200, remaining(deadline)))));
            for (ConsumerRecord<byte[], byte[]> record : records) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                long[] range = open.get(tp);
                if (range != null && record.offset() >= range[0] && record.offset() <= range[1]) {
                    each.accept(record);
                }
            }
            // a partition is done once its position passed the range's end (compaction or transactions may skip)
            for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                if (consumer.position(entry.getKey()) > entry.getValue()[1]) {
                    consumer.pause(List.of(entry.getKey()));
                    it.remove();
                }
            }
        }
        return open.isEmpty();
    }

    private static long remaining(long deadline) {
        return (deadline - System.nanoTime()) / 1_000_000;
    }

    List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, timeout);
        } catch (org.apache.kafka.common.errors.UnknownTopicOrPartitionException e) {
            return List.of();
        }
        return Optional.ofNullable(infos).orElse(List.of()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    /** A consumer in no group: it commits nothing and never joins a sink's group. Bounded fetches. */
    KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientPrefix + Long.toHexString(System.nanoTime()));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false); // looking must not create a topic
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    Duration timeout() {
        return timeout;
    }
}
