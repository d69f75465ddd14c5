package io.streamloader.core.pipeline;

import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.SourcePartition;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The writing side of a worker: one thread that acquires the runner's sink ({@link RunnerSink}), owns this worker's
 * {@link SinkWriter} (makes it, runs its partition hooks, writes, closes it) and takes one batch at a time from the
 * consumer thread, giving back its result ({@code R}).
 *
 * <p>Lifecycle, in order: {@link #start} (blocks until the writer exists, or no sink was had); any number of batches
 * ({@link #submit}, {@link #awaitBatch}, {@link #takeBatchIfDone}) and partition hooks, queued in the order they were
 * handed over, so an assigned hook runs before any batch holding its partitions' events; {@link #close()} once, after
 * the batch in flight: revokes what the writer still holds, closes it, releases the sink, ends the thread.
 *
 * <p>Threading: every method is called by the consumer thread; the writer is only used on the sink thread. What the
 * sink thread throws for a batch or an assigned hook is rethrown on the consumer thread.
 */
final class SinkThread<R> {
    private static final Logger log = LoggerFactory.getLogger(SinkThread.class);
    /** How long {@link #close()} waits for the sink thread to finish its last work. */
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final String sinkName;
    private final RunnerSink runnerSink;
    private final ExecutorService executor;
    /** The writer, once made; used on the sink thread only (the consumer thread checks it was made). */
    private volatile SinkWriter writer;
    /** Whether this worker holds the runner's sink and must release it. */
    private boolean acquired;
    /** The last partitions-assigned hook handed over; its failure stops the worker. */
    private Future<?> assignedHook;
    /** The batch being written: its result, once done. */
    private Future<R> inFlight;
    /** Partitions the writer was told were assigned and not yet revoked. Sink thread only. */
    private final Set<SourcePartition> hooked = new LinkedHashSet<>();

    SinkThread(String threadName, String sinkName, RunnerSink runnerSink) {
        this.sinkName = sinkName;
        this.runnerSink = runnerSink;
        this.executor = Executors.newSingleThreadExecutor(task -> new Thread(
                () -> {
                    MDC.put("sink", sinkName);
                    task.run();
                },
                threadName));
    }

    /**
     * On the sink thread: the runner's sink (opened by {@code opener} if no worker did yet) and this worker's writer.
     *
     * @param opener opens the sink, retrying as it sees fit; null when the runner stopped meanwhile
     * @return empty, and no writer, when the runner stopped before a sink was had
     */
    Optional<Sink> start(Callable<Sink> opener) {
        Optional<Sink> sink = result(executor.submit(() -> runnerSink.acquire(opener)));
        if (sink.isEmpty()) {
            return sink;
        }
        acquired = true;
        writer = result(executor.submit(
                () -> Objects.requireNonNull(sink.get().newWriter(), () -> "sink " + sinkName + " made no writer")));
        return sink;
    }

    /** This worker's writer; only to be used from work running on the sink thread. */
    SinkWriter writer() {
        return Objects.requireNonNull(writer, "not started");
    }

    /** Hands a batch to the sink thread; one at a time. */
    void submit(Callable<R> batch) {
        if (inFlight != null) {
            throw new IllegalStateException("a batch is in flight already");
        }
        inFlight = executor.submit(batch);
    }

    /** Whether a batch was handed over and not yet taken back. */
    boolean busy() {
        return inFlight != null;
    }

    /** Waits until the batch in flight is done or {@code millis} passed ({@link Long#MAX_VALUE}: no limit). */
    void awaitBatch(long millis) {
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
            // not done yet, or failed: takeBatchIfDone reports it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The result of the batch in flight, if it is done; it is no longer in flight then, even if it failed.
     *
     * @throws RuntimeException what the batch threw
     */
    Optional<R> takeBatchIfDone() {
        if (inFlight == null || !inFlight.isDone()) {
            return Optional.empty();
        }
        Future<R> done = inFlight;
        inFlight = null; // taken even if it failed: closing the consumer must not rethrow it from the listener
        return Optional.of(result(done));
    }

    /**
     * Queues the writer's partitions-assigned hook; no-op before the writer exists. Rethrows an earlier assigned hook's
     * failure first.
     */
    void partitionsAssigned(List<SourcePartition> partitions) {
        if (partitions.isEmpty() || writer == null) {
            return;
        }
        checkAssignedHook();
        assignedHook = executor.submit(() -> {
            hooked.addAll(partitions);
            writer.partitionsAssigned(partitions);
        });
    }

    /** Rethrows the last partitions-assigned hook's failure, once it is done; that failure stops the worker. */
    void checkAssignedHook() {
        if (assignedHook != null && assignedHook.isDone()) {
            Future<?> done = assignedHook;
            assignedHook = null;
            result(done);
        }
    }

    /**
     * Runs the writer's partitions-revoked hook after the batch in flight and waits up to {@code waitMillis} for it, so
     * it ran before a new owner writes them; a hook still queued then runs later. Its failure is logged.
     */
    void partitionsRevoked(List<SourcePartition> partitions, long waitMillis) {
        if (partitions.isEmpty() || writer == null || executor.isShutdown()) {
            return;
        }
        try {
            executor.submit(() -> revokedHook(partitions)).get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn(
                    "sink {}: writer still busy {} ms after partitions {} were revoked; its hook runs later",
                    sinkName,
                    waitMillis,
                    partitions);
        } catch (ExecutionException | RejectedExecutionException e) {
            log.warn("sink {}: partitions-revoked hook not run for {}", sinkName, partitions, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * After the work queued so far: revokes what the writer still holds, closes it, releases the sink (the last writer
     * closes it), then ends the thread, waiting up to {@link #CLOSE_WAIT_SECONDS} before interrupting it.
     */
    void close() {
        SinkWriter toClose = writer;
        boolean release = acquired;
        executor.execute(() -> {
            try {
                closeQuietly(toClose);
            } finally {
                if (release) {
                    runnerSink.release();
                }
            }
        });
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                log.warn("sink {}: sink thread still busy {} s after the worker stopped", sinkName, CLOSE_WAIT_SECONDS);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    /** Sink thread. */
    private void closeQuietly(SinkWriter toClose) {
        if (toClose == null) {
            return;
        }
        if (!hooked.isEmpty()) {
            revokedHook(List.copyOf(hooked));
        }
        try {
            toClose.close();
        } catch (RuntimeException e) {
            log.warn("sink {}: closing the writer failed", sinkName, e);
        }
    }

    /** Sink thread; a failure is logged. */
    private void revokedHook(List<SourcePartition> partitions) {
        partitions.forEach(hooked::remove);
        try {
            writer.partitionsRevoked(partitions);
        } catch (Exception e) {
            log.warn("sink {}: the writer failed on partitions revoked {}", sinkName, partitions, e);
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
}
