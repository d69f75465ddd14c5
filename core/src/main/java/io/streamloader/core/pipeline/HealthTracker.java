package io.streamloader.core.pipeline;

import io.streamloader.core.pipeline.RunnerHealth.State;
import java.util.concurrent.atomic.AtomicReference;

/** One worker's health; the runner reports the worst of its workers. Written by the worker, read by anyone. */
final class HealthTracker {
    private final AtomicReference<RunnerHealth> current = new AtomicReference<>(RunnerHealth.of(State.STARTING, ""));

    RunnerHealth get() {
        return current.get();
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
            current.set(RunnerHealth.of(state, detail));
        }
    }
}
