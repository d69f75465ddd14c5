package io.streamloader.core.pipeline;

import java.time.Instant;
import java.util.Objects;

/**
 * What a runner is doing, for readiness checks and logs.
 *
 * @param state the runner's state
 * @param detail why it is in that state, empty when healthy
 * @param since when it entered the state
 */
public record RunnerHealth(State state, String detail, Instant since) {

    /** Runner states. Only {@link #RUNNING} is healthy. */
    public enum State {
        /** Creating sinks and joining the consumer group. */
        STARTING,
        /** Consuming and writing normally. */
        RUNNING,
        /** The store or the dead-letter topic is failing transiently; the batch is being retried with backoff. */
        RETRYING,
        /** A fatal error stopped the runner; nothing more is committed. {@code detail} says why. */
        FAILED,
        /** Stopped on request. */
        STOPPED
    }

    public RunnerHealth {
        Objects.requireNonNull(state, "state");
        detail = detail == null ? "" : detail;
        Objects.requireNonNull(since, "since");
    }

    static RunnerHealth of(State state, String detail) {
        return new RunnerHealth(state, detail, Instant.now());
    }

    public boolean isHealthy() {
        return state == State.RUNNING;
    }
}
