package io.streamloader.core.pipeline;

import io.streamloader.core.pipeline.DeadLetterPublisher.DeadLetter;
import io.streamloader.core.pipeline.DeadLetterPublisher.DeadLetterException;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one batch to completion: every event ends stored, dead-lettered, or left uncommitted for redelivery.
 *
 * <p>Retryable failures are written again, alone, after a backoff during which the caller keeps polling with its
 * partitions paused. Permanent failures, and retryable ones older than {@link RetryPolicy#giveUpAfter()}, go to the
 * dead-letter topic. The result is the offsets that are safe to commit: per partition, up to the first event that is
 * still unresolved (when stopping or after losing the partition), otherwise past the last event.
 */
final class BatchWriter {
    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    /** Waits out a backoff while keeping the consumer alive; false when the worker is stopping. */
    interface Waiter {
        boolean await(Duration backoff);
    }

    private final RunnerSettings settings;
    private final Sink sink;
    private final DeadLetterPublisher deadLetters;
    private final PipelineMetrics metrics;
    private final HealthTracker health;

    BatchWriter(
            RunnerSettings settings,
            Sink sink,
            DeadLetterPublisher deadLetters,
            PipelineMetrics metrics,
            HealthTracker health) {
        this.settings = settings;
        this.sink = sink;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.health = health;
    }

    Map<TopicPartition, OffsetAndMetadata> write(
            List<ConsumerRecord<ByteBuffer, ByteBuffer>> records, Predicate<TopicPartition> owned, Waiter waiter) {
        List<Event> toWrite = new ArrayList<>(records.size());
        for (ConsumerRecord<ByteBuffer, ByteBuffer> record : records) {
            toWrite.add(EventMapper.toEvent(record));
        }
        // Only needed once something failed; the common all-stored path never builds it.
        Map<Coordinates, ConsumerRecord<ByteBuffer, ByteBuffer>> byCoordinates = new HashMap<>();
        List<DeadLetter> toDeadLetter = new ArrayList<>();
        Map<Coordinates, Long> failingSince = new HashMap<>();
        int attempt = 0;
        while (true) {
            if (attempt > 0) { // the consumer thread may have lost partitions meanwhile: leave them to the next owner
                toWrite.removeIf(e -> !owned.test(new TopicPartition(e.topic(), e.partition())));
                toDeadLetter.removeIf(l -> !owned.test(
                        new TopicPartition(l.original().topic(), l.original().partition())));
            }
            if (!toWrite.isEmpty()) {
                toWrite = writeOnce(toWrite, records, byCoordinates, toDeadLetter, failingSince);
            }
            if (!toDeadLetter.isEmpty() && publish(toDeadLetter)) {
                toDeadLetter.clear();
            }
            if (toWrite.isEmpty() && toDeadLetter.isEmpty()) {
                health.recovered();
                break;
            }
            attempt++;
            metrics.retried.increment(toWrite.size());
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
                        toWrite.size() + toDeadLetter.size());
                break;
            }
        }
        return commitOffsets(records, owned, toWrite, toDeadLetter);
    }

    /** One call to the sink; returns the events to write again and adds permanent failures to {@code toDeadLetter}. */
    private List<Event> writeOnce(
            List<Event> toWrite,
            List<ConsumerRecord<ByteBuffer, ByteBuffer>> records,
            Map<Coordinates, ConsumerRecord<ByteBuffer, ByteBuffer>> byCoordinates,
            List<DeadLetter> toDeadLetter,
            Map<Coordinates, Long> failingSince) {
        List<EventFailure> failures;
        try {
            failures = sink.write(List.copyOf(toWrite)).failures();
        } catch (RetriableSinkException e) {
            health.retrying("sink " + settings.name() + " failed transiently: " + e.getMessage());
            log.warn(
                    "sink {}: batch of {} failed transiently, will retry: {}",
                    settings.name(),
                    toWrite.size(),
                    e.toString());
            failures = toWrite.stream()
                    .map(ev -> EventFailure.retryable(
                            ev, e.getMessage(), e.getClass().getName()))
                    .toList();
        }
        if (failures.isEmpty()) {
            metrics.written.increment(toWrite.size());
            return List.of();
        }
        if (byCoordinates.isEmpty()) {
            records.forEach(r -> byCoordinates.put(Coordinates.of(r), r));
        }
        Map<Coordinates, EventFailure> failed = new LinkedHashMap<>();
        for (EventFailure failure : failures) {
            Coordinates c = Coordinates.of(failure.event());
            if (byCoordinates.containsKey(c)) {
                failed.put(c, failure);
            } else {
                log.warn("sink {}: reported a failure for {} which is not in the batch; ignored", settings.name(), c);
            }
        }
        metrics.written.increment(toWrite.size() - failed.size());
        List<Event> again = new ArrayList<>();
        long now = System.nanoTime();
        for (Event event : toWrite) {
            Coordinates c = Coordinates.of(event);
            EventFailure failure = failed.get(c);
            if (failure == null) {
                continue;
            }
            long since = failingSince.computeIfAbsent(c, k -> now);
            switch (failure.kind()) {
                case PERMANENT ->
                    toDeadLetter.add(new DeadLetter(byCoordinates.get(c), failure.reason(), failure.errorClass()));
                case RETRYABLE -> {
                    if (settings.retry().exhausted(Duration.ofNanos(now - since))) {
                        String reason = "retryable failure persisted for "
                                + settings.retry().giveUpAfter() + ": " + failure.reason();
                        toDeadLetter.add(new DeadLetter(byCoordinates.get(c), reason, failure.errorClass()));
                    } else {
                        again.add(event);
                    }
                }
            }
        }
        return again;
    }

    private boolean publish(List<DeadLetter> letters) {
        try {
            deadLetters.publish(letters);
            metrics.deadLettered.increment(letters.size());
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
            return true;
        } catch (DeadLetterException e) {
            health.retrying(e.getMessage());
            log.warn("sink {}: {}; will retry", settings.name(), e.getMessage());
            return false;
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> commitOffsets(
            List<ConsumerRecord<ByteBuffer, ByteBuffer>> records,
            Predicate<TopicPartition> owned,
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
            if (owned.test(partition) && commit > r[0]) {
                offsets.put(partition, new OffsetAndMetadata(commit));
            }
        });
        return offsets;
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
}
