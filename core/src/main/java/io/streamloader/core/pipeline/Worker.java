package io.streamloader.core.pipeline;

import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SourcePartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One worker of a runner: the poll loop and its wiring. The consumer thread polls, cuts batches, hands them to the
 * worker's {@link SinkThread} (which owns the writer, its hooks and {@link BatchWriter}) and commits what the {@link
 * OffsetLedger} says is acknowledged. While the sink writes one batch, the consumer fetches the next, so a store's
 * latency and the consumer's work overlap instead of adding up; once a whole batch waits, the consumer pauses its
 * partitions and keeps polling without fetching until the sink is done (back pressure: at most the batch in flight and
 * about one more are held). Stops when asked, after finishing (or abandoning, uncommitted) the batch in flight.
 */
final class Worker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final long MAX_POLL_BLOCK_MS = 200;
    /** How long a revocation waits for the batch in flight, so its offsets are committed before the partitions go. */
    private static final long REVOKE_WAIT_MS = 10_000;

    private final RunnerSettings settings;
    private final Consumer<ByteBuffer, ByteBuffer> consumer;
    private final RunnerSink runnerSink;
    private final DeadLetterPublisher deadLetters;
    private final PipelineMetrics metrics;
    private final HealthTracker health;
    private final AtomicBoolean stopping;
    private final Runnable onFatal;
    private final BatchBuffer buffer;
    /** Owned partitions and acknowledged offsets. Consumer thread (holds are read by the sink thread). */
    private final OffsetLedger ledger = new OffsetLedger();
    /** Whether the consumer thread paused its partitions because a whole batch waits for the sink. */
    private boolean backPressured;
    /** Writes the batches and runs the writer's hooks. Set at the start of {@link #run()}. */
    private SinkThread<Resolved> sinkThread;

    Worker(
            RunnerSettings settings,
            Consumer<ByteBuffer, ByteBuffer> consumer,
            RunnerSink runnerSink,
            DeadLetterPublisher deadLetters,
            PipelineMetrics metrics,
            HealthTracker health,
            AtomicBoolean stopping,
            Runnable onFatal) {
        this.settings = settings;
        this.consumer = consumer;
        this.runnerSink = runnerSink;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.health = health;
        this.stopping = stopping;
        this.onFatal = onFatal;
        this.buffer = new BatchBuffer(settings.batch());
    }

    @Override
    public void run() {
        MDC.put("sink", settings.name());
        String workerName = Thread.currentThread().getName();
        metrics.track(workerName, health);
        SinkThread<Resolved> sinkThread = new SinkThread<>(workerName + "-sink", settings.name(), runnerSink);
        this.sinkThread = sinkThread;
        try (consumer) {
            Optional<Sink> sink = sinkThread.start(this::openSink);
            if (sink.isEmpty()) {
                return;
            }
            BatchWriter batches =
                    new BatchWriter(settings, sinkThread.writer(), sink.get(), deadLetters, metrics, health);
            consumer.subscribe(settings.topics(), new Listener());
            health.running();
            while (!stopping.get()) {
                finishIfDone();
                sinkThread.checkAssignedHook();
                if (!sinkThread.busy() && buffer.isDue()) {
                    submit(batches, buffer.take());
                }
                if (sinkThread.busy() && buffer.isFull()) {
                    consumer.pause(consumer.assignment()); // again each time: partitions may have been assigned
                    backPressured = true;
                    sinkThread.awaitBatch(MAX_POLL_BLOCK_MS);
                    poll(0); // stays in the group and runs rebalance callbacks; paused partitions return nothing
                } else if (sinkThread.busy() && buffer.isDue()) {
                    // the next batch is ready (linger over) but the sink is busy: wait for it rather than spin on
                    // polls whose timeout, the linger left, is zero
                    sinkThread.awaitBatch(MAX_POLL_BLOCK_MS);
                    poll(0);
                } else {
                    if (backPressured) {
                        consumer.resume(consumer.paused());
                        backPressured = false;
                    }
                    poll(buffer.lingerLeftMillis(MAX_POLL_BLOCK_MS));
                }
                maybeCommitAsync(); // offsets deferred by the interval, once no further batch comes to carry them
                if (ledger.takeCommitFailed()) {
                    // no later batch may come to cover it (an idle partition), so make it durable now
                    commitSync(ledger.committable(ledger.owned()), true);
                }
            }
            sinkThread.awaitBatch(Long.MAX_VALUE); // retries end early once stopping; a write under way completes
            finishIfDone();
            if (!buffer.isEmpty()) {
                // one last try; what does not succeed stays uncommitted
                submit(batches, buffer.take());
                sinkThread.awaitBatch(Long.MAX_VALUE);
                finishIfDone();
            }
            commitOnStop();
            health.stopped();
        } catch (RuntimeException | Error e) {
            health.failed(e instanceof FatalSinkException ? e.getMessage() : e.toString());
            log.error("sink {}: fatal error, runner stops and commits nothing more", settings.name(), e);
            onFatal.run();
        } finally {
            sinkThread.close(); // after the write in flight, if any; the sink closes after its last writer
            if (health.get().state() != RunnerHealth.State.FAILED) { // a failed worker stays visible until replaced
                metrics.untrack(workerName, health);
            }
            MDC.remove("sink");
        }
    }

    /** Hands a batch, taken from the buffer on this (the consumer) thread, to the sink thread. */
    private void submit(BatchWriter writer, List<ConsumerRecord<ByteBuffer, ByteBuffer>> batch) {
        Predicate<TopicPartition> held = ledger.heldFromNow();
        sinkThread.submit(() -> new Resolved(held, write(writer, batch, held)));
    }

    /** Runs on the sink thread: one batch through the writer, to the offsets that are safe to commit. */
    private Map<TopicPartition, OffsetAndMetadata> write(
            BatchWriter writer, List<ConsumerRecord<ByteBuffer, ByteBuffer>> batch, Predicate<TopicPartition> held) {
        long start = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = writer.write(batch, held, this::sleepWhileRunning);
        metrics.batches.increment();
        metrics.batchSize.record(batch.size());
        metrics.batchLatency.record(Duration.ofNanos(System.nanoTime() - start));
        return offsets;
    }

    /** Acknowledges the batch in flight if the sink thread is done with it; rethrows what the sink thread threw. */
    private void finishIfDone() {
        sinkThread.takeBatchIfDone().ifPresent(done -> {
            ledger.acknowledge(done.held(), done.offsets());
            maybeCommitAsync();
        });
    }

    /** Opens the runner's sink, retrying while the store is unreachable; null once stopping. Sink thread. */
    private Sink openSink() {
        for (int attempt = 1; !stopping.get(); attempt++) {
            try {
                return runnerSink.open();
            } catch (RetriableSinkException e) {
                health.retrying("cannot start sink " + settings.name() + ": " + e.getMessage());
                log.warn("sink {}: store not reachable at start ({}); retrying", settings.name(), e.getMessage());
                if (!sleepWhileRunning(settings.retry().backoff(attempt))) {
                    break;
                }
            }
        }
        return null;
    }

    /**
     * Sends the acknowledged offsets in an async commit when the ledger says one is due. Commits are sent in order, and
     * a failed one is covered by the next, or by {@link #commitSync} when partitions are revoked or the worker stops, so
     * the only effect of a lost or deferred async commit is a redelivery.
     */
    private void maybeCommitAsync() {
        ledger.dueForAsyncCommit(System.nanoTime())
                .ifPresent(offsets -> consumer.commitAsync(offsets, (c, e) -> {
                    if (e != null) {
                        ledger.commitFailed();
                        log.debug(
                                "sink {}: async commit failed ({}); the next commit covers it",
                                settings.name(),
                                e.toString());
                    }
                }));
    }

    /**
     * Makes {@code offsets} durable: before their partitions are given up, or ({@code stillOwned}) after an async commit
     * failed, when a refusal by a rebalance is tried again on the next loop.
     */
    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, boolean stillOwned) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (RebalanceInProgressException e) {
            if (stillOwned) {
                ledger.commitFailed(); // still ours: try again on the next loop, once the rebalance is over
            }
            log.debug("sink {}: offset commit deferred by a rebalance", settings.name());
        } catch (KafkaException e) {
            // Safe: the events are stored under their ids; the next owner redelivers and overwrites them.
            log.warn(
                    "sink {}: offset commit failed ({}); events may be redelivered and overwritten",
                    settings.name(),
                    e.toString());
        }
    }

    /**
     * The last commit, of everything written. Workers of one runner stop together, and the first to leave the group
     * starts a rebalance, which refuses the others' commits: finish it (polling, with fetching paused; the listener
     * commits what it revokes) and commit again, for at most {@link #REVOKE_WAIT_MS}. Dropping the commit would only
     * cost redelivery, but a clean stop should leave nothing to redeliver.
     */
    private void commitOnStop() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REVOKE_WAIT_MS);
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable(ledger.owned());
            if (offsets.isEmpty()) {
                return;
            }
            try {
                consumer.commitSync(offsets);
                ledger.committed(offsets);
                return;
            } catch (RebalanceInProgressException e) {
                if (System.nanoTime() > deadline) {
                    log.warn(
                            "sink {}: last offset commit refused by a rebalance; events may be redelivered and"
                                    + " overwritten",
                            settings.name());
                    return;
                }
                consumer.pause(consumer.assignment());
                poll(MAX_POLL_BLOCK_MS);
            } catch (KafkaException e) {
                log.warn(
                        "sink {}: last offset commit failed ({}); events may be redelivered and overwritten",
                        settings.name(),
                        e.toString());
                return;
            }
        }
    }

    private void poll(long millis) {
        ConsumerRecords<ByteBuffer, ByteBuffer> records = consumer.poll(Duration.ofMillis(millis));
        if (!records.isEmpty()) {
            buffer.addAll(records);
        }
    }

    private boolean sleepWhileRunning(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (!stopping.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(MAX_POLL_BLOCK_MS, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stopping.get();
    }

    private static List<SourcePartition> sourcePartitions(Collection<TopicPartition> partitions) {
        return partitions.stream()
                .map(tp -> new SourcePartition(tp.topic(), tp.partition()))
                .toList();
    }

    /** Tracks ownership; buffered records of a lost partition are dropped, its new owner redelivers them. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            ledger.assigned(partitions);
            log.info("sink {}: assigned {}", settings.name(), partitions);
            // queued on the sink thread before any batch holding their events; a failure stops the worker
            sinkThread.partitionsAssigned(sourcePartitions(partitions));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // let the batch in flight finish, so its offsets are committed here instead of redelivered to the next
            // owner; a sink stuck in retries is not waited for: it drops the events of partitions no longer owned
            sinkThread.awaitBatch(REVOKE_WAIT_MS);
            finishIfDone();
            commitSync(ledger.takeCommittable(partitions), false);
            lose(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lose(partitions); // what was acknowledged is no longer ours to commit
        }

        private void lose(Collection<TopicPartition> partitions) {
            ledger.revoked(partitions); // first: a sink thread reading in between sees it revoked
            buffer.dropPartitions(partitions);
            if (!partitions.isEmpty()) {
                log.info("sink {}: revoked {}", settings.name(), partitions);
                // after the write in flight; waited for, so it ran before a new owner writes them
                sinkThread.partitionsRevoked(sourcePartitions(partitions), REVOKE_WAIT_MS);
            }
        }
    }

    /** A written batch's offsets, with the hold it was written under. */
    private record Resolved(Predicate<TopicPartition> held, Map<TopicPartition, OffsetAndMetadata> offsets) {}
}
