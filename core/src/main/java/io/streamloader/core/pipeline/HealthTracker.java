package io.streamloader.core.pipeline;

import io.streamloader.core.pipeline.RunnerHealth.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One worker's health; the runner reports the worst of its workers. Written by the worker, read by anyone.
 *
 * <p>Besides the state the worker sets, it knows which batch the sink thread holds and since when, so that
 * {@code RUNNING} means progressing: a single write that has not returned for {@link #STUCK_AFTER} reads as
 * {@code RETRYING} with the batch's first event and how long it has been waiting. That costs two volatile writes per
 * batch, nothing per event.
 */
final class HealthTracker {
    /** How long one batch may stay in the sink's hands, without a retry, before health calls the worker stuck. */
    static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    private final Duration stuckAfter;
    private final AtomicReference<RunnerHealth> current = new AtomicReference<>(RunnerHealth.of(State.STARTING, ""));
    /** The first record of the batch in the sink's hands; null when none. */
    private volatile ConsumerRecord<?, ?> batchFirst;

    private volatile long batchStartNanos;
    /** When the batch was taken or the state last changed: a recovery is progress too. */
    private volatile long progressNanos;

    HealthTracker() {
        this(STUCK_AFTER);
    }

    HealthTracker(Duration stuckAfter) {
        this.stuckAfter = stuckAfter;
    }

    RunnerHealth get() {
        RunnerHealth now = current.get();
        ConsumerRecord<?, ?> first = batchFirst;
        if (now.state() == State.RUNNING && first != null) {
            Duration waiting = Duration.ofNanos(System.nanoTime() - progressNanos);
            if (waiting.compareTo(stuckAfter) >= 0) {
                return RunnerHealth.of(
                        State.RETRYING,
                        "stuck: the sink has not finished a batch starting at " + first.topic() + "-"
                                + first.partition() + "@" + first.offset() + " for " + waiting.toSeconds()
                                + " s");
            }
        }
        return now;
    }

    /** The sink thread took a batch; {@code first} is its first record. */
    void batchStarted(ConsumerRecord<?, ?> first) {
        batchStartNanos = System.nanoTime();
        progressNanos = batchStartNanos;
        batchFirst = first;
    }

    /** The batch in the sink's hands is resolved (or abandoned). */
    void batchDone() {
        batchFirst = null;
    }

    /** How long the oldest event still unresolved (the batch in the sink's hands) has waited; zero when none. */
    Duration unresolvedAge() {
        long start = batchStartNanos;
        return batchFirst == null ? Duration.ZERO : Duration.ofNanos(Math.max(0, System.nanoTime() - start));
    }

    void running() {
        set(State.RUNNING, "");
    }

    /** Back to running after a retry succeeded; a no-op when already running. */
    void recovered() {
        if (current.get().state() == State.RETRYING) {
            running();
        }
    }

    void retrying(String detail) {
        set(State.RETRYING, detail);
    }

    void failed(String detail) {
        set(State.FAILED, detail);
    }

    void stopped() {
        if (current.get().state() != State.FAILED) {
            set(State.STOPPED, "");
        }
    }

    private void set(State state, String detail) {
        RunnerHealth now = current.get();
        if (now.state() != state || !now.detail().equals(detail)) {
            progressNanos = System.nanoTime();
            current.set(RunnerHealth.of(state, detail));
        }
    }
}
