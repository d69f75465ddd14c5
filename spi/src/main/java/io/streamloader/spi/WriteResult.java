package io.streamloader.spi;

import java.util.List;

/**
 * The outcome of {@link SinkWriter#write}: the events that failed, each with its kind and reason. Events of the batch
 * that are not listed were stored.
 *
 * @param failures failed events, at most one entry per event
 */
public record WriteResult(List<EventFailure> failures) {

    private static final WriteResult SUCCESS = new WriteResult(List.of());

    public WriteResult {
        failures = List.copyOf(failures);
    }

    /** Every event was stored. */
    public static WriteResult success() {
        return SUCCESS;
    }

    /** Some events failed; the others were stored. */
    public static WriteResult failed(List<EventFailure> failures) {
        return failures.isEmpty() ? SUCCESS : new WriteResult(failures);
    }

    /** Whether every event was stored. */
    public boolean isSuccess() {
        return failures.isEmpty();
    }
}
