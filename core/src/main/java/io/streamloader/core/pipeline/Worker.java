package io.streamloader.core.pipeline;

import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.SourcePartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
 * One worker of a runner: a consumer thread and a sink thread. The consumer thread polls, cuts batches and commits;
 * the sink thread opens the runner's sink if no other worker did yet ({@link RunnerSink}), owns this worker's {@link
 * SinkWriter} (makes it, tells it of partitions assigned and revoked, writes, closes it) and has {@link BatchWriter}
 * resolve every event of a batch. While the sink writes one batch, the consumer fetches the next, so a store's latency and the consumer's
 * work overlap instead of adding up; once a whole batch waits, the consumer pauses its partitions and keeps polling
 * without fetching until the sink is done (back pressure: at most the batch in flight and about one more are held).
 * Stops when asked, after finishing (or abandoning, uncommitted) the batch in flight.
 */
final class Worker implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);
    private static final long MAX_POLL_BLOCK_MS = 200;
    /** How long a revocation waits for the batch in flight, so its offsets are committed before the partitions go. */
    private static final long REVOKE_WAIT_MS = 10_000;
    /** Least time between two async commits; what a crash may redeliver on top of the batch in flight. */
    private static final long COMMIT_INTERVAL_NANOS = Duration.ofMillis(100).toNanos();

    private final RunnerSettings settings;
    private final Consumer<ByteBuffer, ByteBuffer> consumer;
    private final RunnerSink runnerSink;
    private final DeadLetterPublisher deadLetters;
    private final PipelineMetrics metrics;
    private final HealthTracker health;
    private final AtomicBoolean stopping;
    private final Runnable onFatal;
    private final BatchBuffer buffer;
    /** Partitions this worker owns; written by the consumer thread, read by the sink thread between retries. */
    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    /** When partitions were given up, so a batch can tell whether one was revoked while it was written. */
    private final Revocations revocations = new Revocations();
    /** The writer, once made; used on the sink thread only (hooks are submitted to it). */
    private volatile SinkWriter writer;
    /** The last partitions-assigned hook handed to the sink thread; its failure stops the worker. Consumer thread. */
    private Future<?> assignedHook;
    /** Offsets of batches fully resolved (stored or dead-lettered), per partition; what a sync commit makes durable. */
    private final Map<TopicPartition, OffsetAndMetadata> completed = new HashMap<>();
    /** Set by a failed async commit (callbacks run on this thread, inside poll or commit). */
    private boolean commitFailed;
    /** Whether {@link #completed} holds offsets not sent in a commit yet. */
    private boolean uncommitted;

    private long lastCommitNanos = System.nanoTime() - COMMIT_INTERVAL_NANOS;
    /** The batch the sink thread is writing: the offsets it resolved, once done. Consumer thread only. */
    private Future<Map<TopicPartition, OffsetAndMetadata>> inFlight;
    /** Whether the consumer thread paused its partitions because a whole batch waits for the sink. */
    private boolean backPressured;
    /** Runs the sink's work: opening, writes, hooks, closing. Set at the start of {@link #run()}. */
    private ExecutorService sinkThread;
    /** Partitions the writer was told were assigned and not yet revoked. Sink thread only. */
    private final Set<SourcePartition> hooked = new java.util.LinkedHashSet<>();

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
        String sinkThreadName = workerName + "-sink";
        ExecutorService sinkThread = Executors.newSingleThreadExecutor(task -> new Thread(
                () -> {
                    MDC.put("sink", settings.name());
                    task.run();
                },
                sinkThreadName));
        this.sinkThread = sinkThread;
        boolean acquired = false;
        try (consumer) {
            Sink sink = result(sinkThread.submit(() -> runnerSink.acquire(this::openSink)))
                    .orElse(null);
            if (sink == null) {
                return;
            }
            acquired = true;
            writer = result(sinkThread.submit(() ->
                    Objects.requireNonNull(sink.newWriter(), () -> "sink " + settings.name() + " made no writer")));
            BatchWriter batches = new BatchWriter(settings, this.writer, sink, deadLetters, metrics, health);
            consumer.subscribe(settings.topics(), new Listener());
            health.running();
            while (!stopping.get()) {
                finishIfDone();
                checkAssignedHook();
                if (inFlight == null && buffer.isDue()) {
                    inFlight = submit(sinkThread, batches, buffer.take());
                }
                if (inFlight != null && buffer.isFull()) {
                    consumer.pause(consumer.assignment()); // again each time: partitions may have been assigned
                    backPressured = true;
                    awaitInFlight(MAX_POLL_BLOCK_MS);
                    poll(0); // stays in the group and runs rebalance callbacks; paused partitions return nothing
                } else if (inFlight != null && buffer.isDue()) {
                    // the next batch is ready (linger over) but the sink is busy: wait for it rather than spin on
                    // polls whose timeout, the linger left, is zero
                    awaitInFlight(MAX_POLL_BLOCK_MS);
                    poll(0);
                } else {
                    if (backPressured) {
                        consumer.resume(consumer.paused());
                        backPressured = false;
                    }
                    poll(buffer.lingerLeftMillis(MAX_POLL_BLOCK_MS));
                }
                maybeCommitAsync(); // offsets deferred by the interval, once no further batch comes to carry them
                if (commitFailed) {
                    // no later batch may come to cover it (an idle partition), so make it durable now
                    commitFailed = false;
                    commitSync(owned, false);
                }
            }
            awaitInFlight(Long.MAX_VALUE); // retries end early once stopping; a write under way completes
            finishIfDone();
            if (!buffer.isEmpty()) {
                // one last try; what does not succeed stays uncommitted
                inFlight = submit(sinkThread, batches, buffer.take());
                awaitInFlight(Long.MAX_VALUE);
                finishIfDone();
            }
            commitOnStop();
            health.stopped();
        } catch (RuntimeException | Error e) {
            health.failed(e instanceof FatalSinkException ? e.getMessage() : e.toString());
            log.error("sink {}: fatal error, runner stops and commits nothing more", settings.name(), e);
            onFatal.run();
        } finally {
            SinkWriter toClose = writer;
            boolean release = acquired;
            // after the write in flight, if any, on the writer's own thread; the sink closes after its last writer
            sinkThread.execute(() -> {
                try {
                    closeQuietly(toClose);
                } finally {
                    if (release) {
                        runnerSink.release();
                    }
                }
            });
            sinkThread.shutdown();
            awaitTermination(sinkThread);
            if (health.get().state() != RunnerHealth.State.FAILED) { // a failed worker stays visible until replaced
                metrics.untrack(workerName, health);
            }
            MDC.remove("sink");
        }
    }

    /** Hands a batch, taken from the buffer on this (the consumer) thread, to the sink thread. */
    private Future<Map<TopicPartition, OffsetAndMetadata>> submit(
            ExecutorService sinkThread, BatchWriter writer, List<ConsumerRecord<ByteBuffer, ByteBuffer>> batch) {
        Predicate<TopicPartition> heldSinceTaken = revocations.heldSince(revocations.now(), owned);
        return sinkThread.submit(() -> write(writer, batch, heldSinceTaken));
    }

    /** Runs on the sink thread: one batch through the writer, to the offsets that are safe to commit. */
    private Map<TopicPartition, OffsetAndMetadata> write(
            BatchWriter writer,
            List<ConsumerRecord<ByteBuffer, ByteBuffer>> batch,
            Predicate<TopicPartition> heldSinceTaken) {
        long start = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = writer.write(batch, heldSinceTaken, this::sleepWhileRunning);
        metrics.batches.increment();
        metrics.batchSize.record(batch.size());
        metrics.batchLatency.record(Duration.ofNanos(System.nanoTime() - start));
        return offsets;
    }

    /** Commits the batch in flight if the sink thread is done with it; rethrows what the sink thread threw. */
    private void finishIfDone() {
        if (inFlight != null && inFlight.isDone()) {
            Future<Map<TopicPartition, OffsetAndMetadata>> done = inFlight;
            inFlight = null; // taken even if it failed: closing the consumer must not rethrow it from the listener
            commit(result(done));
        }
    }

    /** Waits until the batch in flight is done or {@code millis} passed; {@link #finishIfDone} takes the result. */
    private void awaitInFlight(long millis) {
        if (inFlight == null) {
            return;
        }
        try {
            if (millis == Long.MAX_VALUE) {
                inFlight.get();
            } else {
                inFlight.get(millis, TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException | ExecutionException | CancellationException e) {
            // not done yet, or failed: finishIfDone reports it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T result(Future<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sink thread", e);
        }
    }

    private void awaitTermination(ExecutorService sinkThread) {
        try {
            if (!sinkThread.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("sink {}: sink thread still busy 30 s after the worker stopped", settings.name());
                sinkThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sinkThread.shutdownNow();
        }
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
     * Records a resolved batch's offsets and commits them asynchronously, at most every {@link #COMMIT_INTERVAL_NANOS}:
     * a commit per batch costs the broker a log append each and the consumer a share of its throughput. Commits are
     * sent in order, and a failed one is covered by the next, or by {@link #commitSync} when partitions are revoked or
     * the worker stops, so the only effect of a lost or deferred async commit is a redelivery.
     */
    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.keySet().retainAll(owned);
        completed.putAll(offsets);
        uncommitted |= !offsets.isEmpty();
        maybeCommitAsync();
    }

    private void maybeCommitAsync() {
        long now = System.nanoTime();
        if (!uncommitted || now - lastCommitNanos < COMMIT_INTERVAL_NANOS) {
            return;
        }
        uncommitted = false;
        lastCommitNanos = now;
        consumer.commitAsync(new HashMap<>(completed), (committed, e) -> {
            if (e != null) {
                commitFailed = true;
                log.debug(
                        "sink {}: async commit failed ({}); the next commit covers it", settings.name(), e.toString());
            }
        });
    }

    /**
     * Makes the completed offsets of {@code partitions} durable: before they are given up ({@code forget}), or after
     * an async commit failed.
     */
    private void commitSync(Collection<TopicPartition> partitions, boolean forget) {
        Map<TopicPartition, OffsetAndMetadata> offsets = completedOf(partitions, forget);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (RebalanceInProgressException e) {
            if (!forget) {
                commitFailed = true; // still ours: try again on the next loop, once the rebalance is over
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

    /** The offsets written and not yet committed of {@code partitions}; with {@code forget}, taken out of the table. */
    private Map<TopicPartition, OffsetAndMetadata> completedOf(Collection<TopicPartition> partitions, boolean forget) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = forget ? completed.remove(tp) : completed.get(tp);
            if (offset != null) {
                offsets.put(tp, offset);
            }
        }
        return offsets;
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
            Map<TopicPartition, OffsetAndMetadata> offsets = completedOf(owned, false);
            if (offsets.isEmpty()) {
                return;
            }
            try {
                consumer.commitSync(offsets);
                offsets.keySet().forEach(completed::remove);
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

    /** Revokes what the writer still holds, then closes it. Sink thread. */
    private void closeQuietly(SinkWriter writer) {
        if (writer == null) {
            return;
        }
        if (!hooked.isEmpty()) {
            revokedHook(List.copyOf(hooked));
        }
        try {
            writer.close();
        } catch (RuntimeException e) {
            log.warn("sink {}: closing the writer failed", settings.name(), e);
        }
    }

    /** Fails the worker if the last partitions-assigned hook threw. Consumer thread. */
    private void checkAssignedHook() {
        if (assignedHook != null && assignedHook.isDone()) {
            Future<?> done = assignedHook;
            assignedHook = null;
            result(done);
        }
    }

    /** Runs the writer's partitions-assigned hook. Sink thread. */
    private void assignedHook(List<SourcePartition> partitions) {
        hooked.addAll(partitions);
        writer.partitionsAssigned(partitions);
    }

    /** Runs the writer's partitions-revoked hook; a failure is logged. Sink thread. */
    private void revokedHook(List<SourcePartition> partitions) {
        partitions.forEach(hooked::remove);
        try {
            writer.partitionsRevoked(partitions);
        } catch (Exception e) {
            log.warn("sink {}: the writer failed on partitions revoked {}", settings.name(), partitions, e);
        }
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
            owned.addAll(partitions);
            log.info("sink {}: assigned {}", settings.name(), partitions);
            if (!partitions.isEmpty() && writer != null) {
                // queued on the sink thread before any batch holding their events; a failure stops the worker
                List<SourcePartition> assigned = sourcePartitions(partitions);
                checkAssignedHook();
                assignedHook = sinkThread.submit(() -> assignedHook(assigned));
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // let the batch in flight finish, so its offsets are committed here instead of redelivered to the next
            // owner; a sink stuck in retries is not waited for: it drops the events of partitions no longer owned
            awaitInFlight(REVOKE_WAIT_MS);
            finishIfDone();
            commitSync(partitions, true);
            lose(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(completed::remove); // no longer ours to commit
            lose(partitions);
        }

        private void lose(Collection<TopicPartition> partitions) {
            revocations.revoke(partitions); // first: a sink thread reading in between sees it revoked
            owned.removeAll(partitions);
            buffer.dropPartitions(partitions);
            if (!partitions.isEmpty()) {
                log.info("sink {}: revoked {}", settings.name(), partitions);
                revokeOnSinkThread(sourcePartitions(partitions));
            }
        }

        /** After the write in flight; waits for the hook up to {@link #REVOKE_WAIT_MS}, so it ran before a new owner. */
        private void revokeOnSinkThread(List<SourcePartition> partitions) {
            if (writer == null || sinkThread.isShutdown()) {
                return;
            }
            try {
                sinkThread.submit(() -> revokedHook(partitions)).get(REVOKE_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                log.warn(
                        "sink {}: writer still busy {} ms after partitions {} were revoked; its hook runs later",
                        settings.name(),
                        REVOKE_WAIT_MS,
                        partitions);
            } catch (ExecutionException | java.util.concurrent.RejectedExecutionException e) {
                log.warn("sink {}: partitions-revoked hook not run for {}", settings.name(), partitions, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Counts revocations and losses and remembers each partition's last one. A batch notes {@link #now()} when it is
     * taken; a partition revoked after that and assigned back before the batch ends must not be committed by it, as
     * the batch may have dropped some of its events (and the consumer re-reads them from the committed offset).
     * Written by the consumer thread, read by the sink thread.
     */
    static final class Revocations {
        private final AtomicLong count = new AtomicLong();
        private final Map<TopicPartition, Long> revokedAt = new ConcurrentHashMap<>();

        long now() {
            return count.get();
        }

        void revoke(Collection<TopicPartition> partitions) {
            long revocation = count.incrementAndGet();
            partitions.forEach(tp -> revokedAt.put(tp, revocation));
        }

        /** Whether a partition is in {@code owned} and was not revoked after {@code since} (a value of {@link #now}). */
        Predicate<TopicPartition> heldSince(long since, Set<TopicPartition> owned) {
            return tp -> owned.contains(tp) && revokedAt.getOrDefault(tp, Long.MIN_VALUE) <= since;
        }
    }
}
