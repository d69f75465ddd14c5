package io.streamloader.bench.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The dead-letter topic read from its start to its end offsets: per sink ({@code sl.error.sink}), the distinct source
 * positions ({@code sl.source.partition}/{@code sl.source.offset}, as {@link Ledger#key}) of the letters, and letters
 * without those headers. One topic serves all three sinks, told apart by the header.
 */
record DeadLetters(Map<String, Set<Long>> positionsBySink, Map<String, Long> lettersBySink, long unattributed) {
    static final String ERROR_SINK = "sl.error.sink";
    static final String SOURCE_PARTITION = "sl.source.partition";
    static final String SOURCE_OFFSET = "sl.source.offset";

    Set<Long> positions(String sink) {
        return positionsBySink.getOrDefault(sink, Set.of());
    }

    static DeadLetters read(String bootstrap, String topic, Duration timeout) {
        Map<String, Set<Long>> positions = new HashMap<>();
        Map<String, Long> letters = new HashMap<>();
        long unattributed = 0;
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> letter : consumer.poll(Duration.ofMillis(500))) {
                    String sink = header(letter, ERROR_SINK);
                    String partition = header(letter, SOURCE_PARTITION);
                    String offset = header(letter, SOURCE_OFFSET);
                    letters.merge(sink == null ? "(no " + ERROR_SINK + ")" : sink, 1L, Long::sum);
                    if (sink == null || partition == null || offset == null) {
                        unattributed++;
                        continue;
                    }
                    try {
                        positions
                                .computeIfAbsent(sink, s -> new HashSet<>())
                                .add(Ledger.key(Integer.parseInt(partition), Long.parseLong(offset)));
                    } catch (NumberFormatException e) {
                        unattributed++;
                    }
                }
            }
        }
        return new DeadLetters(positions, letters, unattributed);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
