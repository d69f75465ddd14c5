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
        /** Consuming and writing, and making progress. */
        RUNNING,
        /**
         * Not progressing: events are being retried with backoff (store down, an event failing retriably, the
         * dead-letter topic unreachable), or one write has not returned for a long time. {@code detail} names the
         * first unresolved event's topic, partition and offset and the last reason.
         */
        RETRYING,
        /** A fatal error stopped the runner; nothing more is committed. {@code detail} says why. */
        FAILED,
        /** Stopped on request. */
        STOPPED;

        /** How bad the state is, for reporting the worst of several workers: 0 (RUNNING) to 4 (FAILED). */
        public int severity() {
            return switch (this) {
                case FAILED -> 4;
                case RETRYING -> 3;
                case STARTING -> 2;
                case STOPPED -> 1;
                case RUNNING -> 0;
            };
        }
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
