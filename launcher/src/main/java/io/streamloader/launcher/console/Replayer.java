package io.streamloader.launcher.console;

import io.streamloader.core.pipeline.RunnerSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends dead letters back to their source topic: the original key, value and headers without the letter's own
 * ({@code sl.error.*}, {@code sl.source.*}, {@code __connect.errors.*}), plus {@code sl.replayed-from} (the letter's
 * {@code topic/partition/offset}), {@code sl.replay.count}, {@code sl.replay.time} and {@code sl.replay.by}, through an
 * idempotent producer ({@code acks=all}), to the source partition when it still exists.
 *
 * <p>A letter stays put when it was replayed by this process already ({@link ReplayLedger}), was replayed {@link
 * #MAX_REPLAYS} times (a loop: the event keeps failing), was truncated to fit the dead-letter topic (its value is no
 * longer the original), or names a source topic the sink does not consume (a letter is data: its headers must not
 * steer writes to other topics).
 */
public final class Replayer {
    public static final String REPLAYED_FROM = "sl.replayed-from";
    public static final String REPLAY_COUNT = "sl.replay.count";
    public static final String REPLAY_TIME = "sl.replay.time";
    public static final String REPLAY_BY = "sl.replay.by";
    /** An event replayed this often and dead-lettered again stays in the dead-letter topic. */
    public static final int MAX_REPLAYS = 3;
    /** Letters one request replays at most. */
    public static final int MAX_LETTERS = 10_000;

    private final DeadLetterStore store;
    private final Map<String, Object> kafka;
    private final ReplayLedger ledger;
    private final ReplayLog log;

    public Replayer(DeadLetterStore store, Map<String, Object> kafka, ReplayLedger ledger) {
        this.store = store;
        this.kafka = Map.copyOf(kafka);
        this.ledger = ledger;
        this.log = new ReplayLog(kafka, store.timeout());
    }

    /**
     * Which letters to replay: of one dead-letter topic or all of the sink's, of one partition or all, within an
     * inclusive offset range, whose reason starts with a text, written at or after a time. At least a reason or a
     * partition is needed (checked by the callers, which name their own field).
     *
     * @param since epoch milliseconds: letters whose record timestamp is earlier are left out (0: none)
     * @param limit letters to replay at most, 1 to {@link #MAX_LETTERS}
     */
    public record Selection(
            Optional<String> topic,
            OptionalInt partition,
            long from,
            long to,
            Optional<String> reason,
            long since,
            int limit) {
        public Selection {
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("from must be >= 0 and <= to, got " + from + ".." + to);
            }
            since = Math.max(0, since);
            limit = Math.clamp(limit, 1, MAX_LETTERS);
        }

        DeadLetterStore.Filter filter() {
            return new DeadLetterStore.Filter(since, reason);
        }
    }

    /**
     * What a replay did.
     *
     * @param matched letters selected (by range and reason)
     * @param replayed letters sent and acknowledged (with {@code dryRun}: that would be sent)
     * @param alreadyReplayed skipped: replayed before (by any process: the replay record, {@link ReplayLog})
     * @param loops skipped: replayed {@link #MAX_REPLAYS} times already
     * @param truncated skipped: their value was truncated to fit the dead-letter topic
     * @param foreignSource skipped: no source topic, or one the sink does not consume
     * @param failed sends Kafka did not acknowledge (the letters can be replayed again)
     * @param errors the first few failures' messages
     * @param complete false when the limit or the time stopped the scan before the selection's end
     * @param dryRun nothing was sent
     * @param letters where each replayed letter went: {@code dlq-topic/partition/offset -> topic/partition/offset}
     *     (the first 100)
     */
    public record Report(
            long matched,
            long replayed,
            long alreadyReplayed,
            long loops,
            long truncated,
            long foreignSource,
            long failed,
            List<String> errors,
            boolean complete,
            boolean dryRun,
            List<String> letters) {}

    /**
     * Replays the selected letters of {@code sink}; {@code who} goes into {@code sl.replay.by}. Reads the replay record
     * first (letters in it are skipped) and adds each letter Kafka acknowledged to it.
     *
     * @throws org.apache.kafka.common.KafkaException when Kafka does not answer or the replay record cannot be read
     */
    public Report replay(RunnerSettings sink, Selection selection, boolean dryRun, String who) {
        var run = new Run(sink, selection, dryRun, who);
        if (!dryRun) {
            log.ensureTopic();
        }
        try (KafkaConsumer<byte[], byte[]> consumer = store.consumer();
                KafkaProducer<byte[], byte[]> producer = dryRun ? null : producer()) {
            run.producer = producer;
            run.persisted = log.replayed(store, consumer, DeadLetterStore.topics(sink));
            Map<TopicPartition, long[]> ranges = new HashMap<>();
            for (String topic : DeadLetterStore.topics(sink)) {
                if (selection.topic().isPresent() && !selection.topic().get().equals(topic)) {
                    continue;
                }
                List<TopicPartition> partitions = store.partitions(consumer, topic).stream()
                        .filter(tp -> selection.partition().isEmpty()
                                || selection.partition().getAsInt() == tp.partition())
                        .toList();
                if (partitions.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, Long> begin = store.startsAt(consumer, partitions, selection.since());
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions, store.timeout());
                for (TopicPartition tp : partitions) {
                    ranges.put(tp, new long[] {
                        Math.max(begin.get(tp), selection.from()), Math.min(end.get(tp) - 1, selection.to())
                    });
                }
            }
            boolean read = store.read(consumer, ranges, run::offer);
            run.awaitSends(store.timeout());
            run.record();
            return run.report(read);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sl-console-replay-" + Long.toHexString(System.nanoTime()));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // a letter may be as large as its source topic allows plus headers; the broker still enforces the topic's limit
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 * 1024 * 1024);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** One request's state; the consumer calls {@link #offer} on one thread, producer callbacks on another. */
    private final class Run {
        private final RunnerSettings sink;
        private final Selection selection;
        private final boolean dryRun;
        private final String who;
        private final String time = Instant.now().toString();
        private final List<CompletableFuture<Void>> sends = new ArrayList<>();
        private final Map<String, Integer> sourcePartitions = new HashMap<>();
        private final List<String> errors = new ArrayList<>();
        private final List<String> letters = new ArrayList<>();
        /** The replay record's entries for the letters Kafka acknowledged. */
        private final List<ProducerRecord<byte[], byte[]>> entries = new ArrayList<>();

        private Set<String> persisted = Set.of();
        private final AtomicLong replayed = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private long matched;
        private long already;
        private long loops;
        private long truncated;
        private long foreign;
        private boolean limited;
        KafkaProducer<byte[], byte[]> producer;

        Run(RunnerSettings sink, Selection selection, boolean dryRun, String who) {
            this.sink = sink;
            this.selection = selection;
            this.dryRun = dryRun;
            this.who = who;
        }

        void offer(ConsumerRecord<byte[], byte[]> record) {
            if (!selection.filter().matches(record)) {
                return;
            }
            if (matched >= selection.limit()) {
                limited = true;
                return;
            }
            matched++;
            String coordinates = ReplayLedger.key(record.topic(), record.partition(), record.offset());
            Optional<String> source = DeadLetter.header(record, DeadLetter.SOURCE_TOPIC);
            int count = replayCount(record);
            if (ledger.contains(coordinates) || persisted.contains(coordinates)) {
                already++;
            } else if (DeadLetter.header(record, DeadLetter.TRUNCATED)
                    .orElse("")
                    .equals("true")) {
                truncated++;
            } else if (source.isEmpty() || !sink.topics().contains(source.get())) {
                foreign++;
            } else if (count >= MAX_REPLAYS) {
                loops++;
            } else if (dryRun) {
                replayed.incrementAndGet();
                note(coordinates + " -> " + source.get());
            } else if (!ledger.claim(coordinates)) {
                already++; // a concurrent request took it
            } else {
                send(record, coordinates, source.get(), count + 1);
            }
        }

        private void send(ConsumerRecord<byte[], byte[]> record, String coordinates, String topic, int count) {
            RecordHeaders headers = new RecordHeaders();
            for (Header h : record.headers()) {
                if (!isLetterHeader(h.key())) {
                    headers.add(h);
                }
            }
            headers.add(REPLAYED_FROM, utf8(coordinates));
            headers.add(REPLAY_COUNT, utf8(Integer.toString(count)));
            headers.add(REPLAY_TIME, utf8(time));
            headers.add(REPLAY_BY, utf8(who));
            Integer partition = sourcePartition(record, topic);
            var future = new CompletableFuture<Void>();
            sends.add(future);
            try {
                producer.send(
                        new ProducerRecord<>(topic, partition, record.key(), record.value(), headers),
                        (metadata, e) -> {
                            if (e == null) {
                                replayed.incrementAndGet();
                                String target = metadata.topic() + "/" + metadata.partition() + "/" + metadata.offset();
                                note(coordinates + " -> " + target);
                                synchronized (entries) {
                                    entries.add(ReplayLog.entry(coordinates, target, time, who));
                                }
                            } else {
                                fail(coordinates, e);
                            }
                            future.complete(null);
                        });
            } catch (RuntimeException e) {
                fail(coordinates, e);
                future.complete(null);
            }
        }

        /** The letter's source partition when the source topic still has it, else the producer's choice. */
        private Integer sourcePartition(ConsumerRecord<byte[], byte[]> record, String topic) {
            long wanted = DeadLetter.header(record, DeadLetter.SOURCE_PARTITION)
                    .map(s -> {
                        try {
                            return Long.parseLong(s.strip());
                        } catch (NumberFormatException e) {
                            return -1L;
                        }
                    })
                    .orElse(-1L);
            int partitions = sourcePartitions.computeIfAbsent(topic, t -> {
                try {
                    return producer.partitionsFor(t).size();
                } catch (RuntimeException e) {
                    return 0; // the send then fails and says why
                }
            });
            return wanted >= 0 && wanted < partitions ? (int) wanted : null;
        }

        private void fail(String coordinates, Exception e) {
            ledger.release(coordinates);
            failed.incrementAndGet();
            synchronized (errors) {
                if (errors.size() < 10) {
                    errors.add(coordinates + ": " + e.getMessage());
                }
            }
        }

        private void note(String letter) {
            synchronized (letters) {
                if (letters.size() < 100) {
                    letters.add(letter);
                }
            }
        }

        void awaitSends(Duration timeout) {
            if (producer == null) {
                return;
            }
            producer.flush();
            try {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                        .get(timeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                synchronized (errors) {
                    errors.add("not every send was acknowledged: " + e);
                }
            }
        }

        /** Adds the acknowledged letters to the replay record; a failure is reported, the letters stay claimed. */
        void record() {
            List<ProducerRecord<byte[], byte[]>> done;
            synchronized (entries) {
                done = List.copyOf(entries);
            }
            if (producer == null || done.isEmpty()) {
                return;
            }
            try {
                log.record(producer, done);
            } catch (org.apache.kafka.common.KafkaException e) {
                synchronized (errors) {
                    errors.add(e.getMessage() + " (" + done.size() + " letter(s) were replayed: another process may"
                            + " replay them again, which the sinks absorb)");
                }
            }
        }

        Report report(boolean read) {
            synchronized (errors) {
                synchronized (letters) {
                    return new Report(
                            matched,
                            replayed.get(),
                            already,
                            loops,
                            truncated,
                            foreign,
                            failed.get(),
                            List.copyOf(errors),
                            read && !limited,
                            dryRun,
                            List.copyOf(letters));
                }
            }
        }
    }

    /** How often the event was replayed before, from the letter's copy of its {@code sl.replay.count}. */
    static int replayCount(ConsumerRecord<byte[], byte[]> record) {
        try {
            return DeadLetter.header(record, REPLAY_COUNT)
                    .map(s -> Integer.parseInt(s.strip()))
                    .map(n -> n < 0 ? MAX_REPLAYS : n)
                    .orElse(0);
        } catch (NumberFormatException e) {
            return MAX_REPLAYS; // a forged or garbled count: treat as spent rather than loop
        }
    }

    /** The letter's own headers and an earlier replay's, dropped before the event goes back. */
    static boolean isLetterHeader(String key) {
        return key.startsWith("sl.error.")
                || key.startsWith("sl.source.")
                || key.startsWith("__connect.errors.")
                || key.equals(REPLAYED_FROM)
                || key.startsWith("sl.replay.");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
