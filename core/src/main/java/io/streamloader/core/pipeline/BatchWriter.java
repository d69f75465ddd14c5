package io.streamloader.core.pipeline;

import io.streamloader.core.pipeline.DeadLetterPublisher.DeadLetter;
import io.streamloader.core.pipeline.DeadLetterPublisher.DeadLetterException;
import io.streamloader.core.pipeline.WritePass.Failed;
import io.streamloader.core.pipeline.WritePass.Round;
import io.streamloader.core.pipeline.WritePass.Suspect;
import io.streamloader.spi.Event;
import io.streamloader.spi.FailureKind;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one batch to completion: every event ends stored, dead-lettered, or left uncommitted for redelivery.
 *
 * <ol>
 *   <li>Per-event failures the sink reports: {@code PERMANENT} ones are dead-lettered; {@code RETRIABLE} ones are
 *       written again, without their stored neighbours, after a backoff during which the caller keeps polling with
 *       its partitions paused. An event failing retriably on its own (neighbours stored, or the store's health check
 *       passing) is dead-lettered after {@link RetryPolicy#eventGiveUpAfter()}; any retriable failure, outages
 *       included, after {@link RetryPolicy#giveUpAfter()} when that is set.
 *   <li>{@link RetriableSinkException}: the store is down; everything is retried, for as long as it takes.
 *   <li>{@link FatalSinkException} and JVM failures ({@link VirtualMachineError} but {@link StackOverflowError}):
 *       rethrown, the runner fails.
 *   <li>Any other exception or error is about the events: the write is narrowed down by writing halves until each
 *       throwing event stands alone; those are dead-lettered with the exception's class and message, the rest stored.
 *       A store that is really down may throw such exceptions too, so before dead-lettering an isolated event, and
 *       whenever both halves of a split throw, {@link Sink#checkHealth()} is asked: if the store is unhealthy the
 *       failure is taken as a whole-store transient one and nothing is dead-lettered.
 * </ol>
 *
 * <p>Each pass over the events still to write is a {@link WritePass} (the sink call, its narrowing down and the health
 * checks); this class keeps what spans passes: backoff, the retry bounds, dead letters and the batch's offsets.
 *
 * <p>The result is the offsets that are safe to commit: per partition, up to the first event that is still unresolved
 * (when stopping), otherwise past the last event; never for a partition that was not owned at some point during the
 * batch. The happy path costs one sink call and no per-event bookkeeping.
 */
final class BatchWriter {
    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    /** Waits out a backoff while keeping the consumer alive; false when the worker is stopping. */
    interface Waiter {
        boolean await(Duration backoff);
    }

    private final RunnerSettings settings;
    private final WritePass pass;
    private final DeadLetterPublisher deadLetters;
    private final PipelineMetrics metrics;
    private final HealthTracker health;

    BatchWriter(
            RunnerSettings settings,
            SinkWriter writer,
            Sink sink,
            DeadLetterPublisher deadLetters,
            PipelineMetrics metrics,
            HealthTracker health) {
        this.settings = settings;
        this.pass = new WritePass(settings.name(), writer, sink, metrics);
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.health = health;
    }

    /**
     * Resolves {@code records}.
     *
     * @param owned whether this worker has held a partition without interruption since the batch was taken; once false
     *     for a partition it must stay false (the batch drops that partition's events and never commits it)
     */
    Map<TopicPartition, OffsetAndMetadata> write(
            List<ConsumerRecord<ByteBuffer, ByteBuffer>> records, Predicate<TopicPartition> owned, Waiter waiter) {
        if (records.isEmpty()) {
            return Map.of();
        }
        List<Event> toWrite = new ArrayList<>(records.size());
        EventFilter filter = settings.filter();
        TransformChain transforms = settings.transforms();
        List<DeadLetter> untransformable = List.of();
        for (ConsumerRecord<ByteBuffer, ByteBuffer> record : records) {
            Event event = EventMapper.toEvent(record);
            if (!filter.accepts(event)) {
                continue;
            }
            if (!transforms.isEmpty()) {
                try {
                    event = transforms.apply(event);
                } catch (TransformChain.StepFailed e) {
                    // the event's own failure: dead-lettered (the original record) like a permanent write failure
                    if (untransformable.isEmpty()) {
                        untransformable = new ArrayList<>();
                    }
                    untransformable.add(new DeadLetter(
                            record, e.getMessage(), e.getCause().getClass().getName()));
                    continue;
                }
                if (event == null) {
                    continue;
                }
            }
            toWrite.add(event);
        }
        int skipped = records.size() - toWrite.size() - untransformable.size();
        if (skipped > 0) {
            // not this sink's events: resolved as they are, so their offsets are committed with the batch's
            metrics.filtered.increment(skipped);
        }
        health.batchStarted(records.getFirst());
        try {
            return resolve(records, toWrite, owned, waiter, untransformable);
        } finally {
            health.batchDone();
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> resolve(
            List<ConsumerRecord<ByteBuffer, ByteBuffer>> records,
            List<Event> toWrite,
            Predicate<TopicPartition> owned,
            Waiter waiter,
            List<DeadLetter> untransformable) {
        // Only built once something failed; the common all-stored path never allocates it.
        Unresolved unresolved = null;
        if (!untransformable.isEmpty()) {
            unresolved = new Unresolved(records);
            unresolved.deadLetters.addAll(untransformable);
        }
        Set<TopicPartition> lost = new HashSet<>();
        int attempt = 0;
        while (true) {
            if (attempt > 0) { // the consumer thread may have lost partitions meanwhile: leave them to the next owner
                toWrite.removeIf(e -> isLost(e.topic(), e.partition(), owned, lost));
                unresolved.deadLetters.removeIf(
                        l -> isLost(l.original().topic(), l.original().partition(), owned, lost));
            }
            if (!toWrite.isEmpty()) {
                Round round = pass.write(toWrite);
                if (round.stored == toWrite.size()) {
                    toWrite = List.of();
                } else {
                    if (unresolved == null) {
                        unresolved = new Unresolved(records);
                    }
                    toWrite = settle(toWrite, round, unresolved);
                }
            }
            String deadLetterProblem = null;
            if (unresolved != null && !unresolved.deadLetters.isEmpty()) {
                deadLetterProblem = publish(unresolved.deadLetters);
                if (deadLetterProblem == null) {
                    unresolved.deadLetters.clear();
                }
            }
            if (toWrite.isEmpty() && (unresolved == null || unresolved.deadLetters.isEmpty())) {
                health.recovered();
                break;
            }
            attempt++;
            metrics.retried.increment(toWrite.size());
            health.retrying(describe(toWrite, unresolved, deadLetterProblem));
            Duration backoff = settings.retry().backoff(attempt);
            log.debug(
                    "sink {}: retrying {} event(s) in {} (attempt {})",
                    settings.name(),
                    toWrite.size(),
                    backoff,
                    attempt);
            if (!waiter.await(backoff)) {
                log.info(
                        "sink {}: stopping with {} event(s) unresolved; they stay uncommitted and will be redelivered",
                        settings.name(),
                        toWrite.size() + unresolved.deadLetters.size());
                break;
            }
        }
        return commitOffsets(records, owned, lost, toWrite, unresolved == null ? List.of() : unresolved.deadLetters);
    }

    private static boolean isLost(
            String topic, int partition, Predicate<TopicPartition> owned, Set<TopicPartition> lost) {
        TopicPartition tp = new TopicPartition(topic, partition);
        if (lost.contains(tp)) {
            return true;
        }
        if (!owned.test(tp)) {
            lost.add(tp); // for good: even if it comes back, this batch dropped some of its events
            return true;
        }
        return false;
    }

    /** What health says while events are retried: how many, the first one's coordinates and its last reason. */
    private String describe(List<Event> toWrite, Unresolved unresolved, String deadLetterProblem) {
        if (toWrite.isEmpty()) {
            ConsumerRecord<ByteBuffer, ByteBuffer> first =
                    unresolved.deadLetters.getFirst().original();
            return "sink " + settings.name() + ": dead-lettering " + unresolved.deadLetters.size() + " event(s), first "
                    + Coordinates.of(first) + ": " + deadLetterProblem;
        }
        Event first = toWrite.getFirst();
        Coordinates c = Coordinates.of(first);
        String detail = "sink " + settings.name() + ": retrying " + toWrite.size() + " event(s), first " + c + ": "
                + unresolved.reasons.getOrDefault(c, "");
        return deadLetterProblem == null ? detail : detail + "; " + deadLetterProblem;
    }

    /** Sorts a round's failures into dead letters and events to write again; returns the latter. */
    private List<Event> settle(List<Event> written, Round round, Unresolved unresolved) {
        unresolved.noteStored(written, round);
        List<Event> again = new ArrayList<>();
        long now = System.nanoTime();
        RetryPolicy retry = settings.retry();
        for (Suspect suspect : round.suspects) {
            metrics.isolated.increment();
            unresolved.deadLetter(
                    suspect.event(),
                    message(suspect.thrown()),
                    suspect.thrown().getClass().getName());
        }
        for (Failed f : round.failed) {
            Coordinates c = Coordinates.of(f.event());
            if (f.kind() == FailureKind.PERMANENT) {
                unresolved.deadLetter(f.event(), f.reason(), f.errorClass());
                continue;
            }
            if (unresolved.supersededByLaterStored(f.event())) {
                // a later event of this batch with the same id is stored: writing this older one again would
                // overwrite it with stale data; the store already holds the newer version, so this one is done
                metrics.written.increment();
                continue;
            }
            long since = unresolved.failingSince.computeIfAbsent(c, k -> now);
            Long alone = null;
            if (f.storeWide()) {
                unresolved.failingAloneSince.remove(c); // an outage is not the event's fault: its bound starts over
            } else {
                alone = unresolved.failingAloneSince.computeIfAbsent(c, k -> now);
            }
            if (retry.exhausted(Duration.ofNanos(now - since))) {
                unresolved.deadLetter(
                        f.event(),
                        "retriable failure persisted for " + retry.giveUpAfter() + ": " + f.reason(),
                        f.errorClass());
            } else if (alone != null && retry.eventExhausted(Duration.ofNanos(now - alone))) {
                unresolved.deadLetter(
                        f.event(),
                        "retriable failure of this event persisted for " + retry.eventGiveUpAfter()
                                + " while the store was healthy: " + f.reason(),
                        f.errorClass());
            } else {
                unresolved.reasons.put(c, f.reason());
                again.add(f.event());
            }
        }
        // in batch order, so retries keep each partition's offset order
        again.sort(unresolved.batchOrder);
        return again;
    }

    /** Publishes the letters; null when done, else why not. */
    private String publish(List<DeadLetter> letters) {
        try {
            deadLetters.publish(letters);
            for (DeadLetter letter : letters) {
                metrics.deadLettered(letter.errorClass(), 1);
            }
            for (DeadLetter letter : letters) {
                log.warn(
                        "sink {}: {}-{}@{} sent to dead-letter topic {}: {}",
                        settings.name(),
                        letter.original().topic(),
                        letter.original().partition(),
                        letter.original().offset(),
                        settings.deadLetterTopicFor(letter.original().topic()),
                        letter.reason());
            }
            return null;
        } catch (DeadLetterException e) {
            log.warn("sink {}: {}; will retry", settings.name(), e.getMessage());
            return e.getMessage();
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> commitOffsets(
            List<ConsumerRecord<ByteBuffer, ByteBuffer>> records,
            Predicate<TopicPartition> owned,
            Set<TopicPartition> lost,
            List<Event> unwritten,
            List<DeadLetter> undelivered) {
        Map<TopicPartition, Long> firstUnresolved = new HashMap<>();
        unwritten.forEach(
                e -> firstUnresolved.merge(new TopicPartition(e.topic(), e.partition()), e.offset(), Math::min));
        undelivered.forEach(l -> firstUnresolved.merge(
                new TopicPartition(l.original().topic(), l.original().partition()),
                l.original().offset(),
                Math::min));
        // records of a partition are contiguous runs in offset order: one map update per run, not per record
        Map<TopicPartition, long[]> range = new HashMap<>(); // {first offset, next offset}
        TopicPartition tp = null;
        long[] current = null;
        for (ConsumerRecord<ByteBuffer, ByteBuffer> record : records) {
            if (tp == null
                    || tp.partition() != record.partition()
                    || !tp.topic().equals(record.topic())) {
                tp = new TopicPartition(record.topic(), record.partition());
                current = range.computeIfAbsent(tp, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            }
            current[0] = Math.min(current[0], record.offset());
            current[1] = Math.max(current[1], record.offset() + 1);
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        range.forEach((partition, r) -> {
            long commit = Math.min(r[1], firstUnresolved.getOrDefault(partition, Long.MAX_VALUE));
            if (!lost.contains(partition) && owned.test(partition) && commit > r[0]) {
                offsets.put(partition, new OffsetAndMetadata(commit));
            }
        });
        return offsets;
    }

    private static String message(Throwable t) {
        return StoreHealthProbe.message(t);
    }

    /** Where a record sits; identifies an event across the sink's copies of it. */
    record Coordinates(String topic, int partition, long offset) {
        static Coordinates of(ConsumerRecord<?, ?> r) {
            return new Coordinates(r.topic(), r.partition(), r.offset());
        }

        static Coordinates of(Event e) {
            return new Coordinates(e.topic(), e.partition(), e.offset());
        }

        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** Bookkeeping kept across retries of one batch; only built once something failed. */
    private static final class Unresolved {
        final Map<Coordinates, ConsumerRecord<ByteBuffer, ByteBuffer>> byCoordinates = new HashMap<>();
        final Map<Coordinates, Integer> position = new HashMap<>();
        final java.util.Comparator<Event> batchOrder =
                java.util.Comparator.comparingInt(e -> position.getOrDefault(Coordinates.of(e), Integer.MAX_VALUE));
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final Map<Coordinates, Long> failingSince = new HashMap<>();
        final Map<Coordinates, Long> failingAloneSince = new HashMap<>();
        final Map<Coordinates, String> reasons = new HashMap<>();

        Unresolved(List<ConsumerRecord<ByteBuffer, ByteBuffer>> records) {
            for (int i = 0; i < records.size(); i++) {
                Coordinates c = Coordinates.of(records.get(i));
                byCoordinates.put(c, records.get(i));
                position.put(c, i);
            }
        }

        /** Batch position of the latest stored event per id; only ids that share a batch with a failure. */
        final Map<String, Integer> latestStored = new HashMap<>();

        /** Records which of {@code written} this round stored (neither failed nor suspected). */
        void noteStored(List<Event> written, Round round) {
            java.util.Set<Coordinates> unstored = new java.util.HashSet<>();
            round.failed.forEach(f -> unstored.add(Coordinates.of(f.event())));
            round.suspects.forEach(s -> unstored.add(Coordinates.of(s.event())));
            for (Event event : written) {
                Coordinates c = Coordinates.of(event);
                if (!unstored.contains(c)) {
                    latestStored.merge(event.id(), position.get(c), Math::max);
                }
            }
        }

        /** Whether an event of this batch with the same id and a later position has been stored. */
        boolean supersededByLaterStored(Event event) {
            Integer stored = latestStored.get(event.id());
            return stored != null && stored > position.get(Coordinates.of(event));
        }

        void deadLetter(Event event, String reason, String errorClass) {
            deadLetters.add(new DeadLetter(byCoordinates.get(Coordinates.of(event)), reason, errorClass));
        }
    }
}
