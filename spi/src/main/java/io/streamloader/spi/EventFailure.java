package io.streamloader.spi;

import java.util.Objects;

/**
 * One event that a sink could not store.
 *
 * @param event the event, as it was passed to {@link SinkWriter#write}
 * @param kind whether to retry it or dead-letter it
 * @param reason what the store said, for operators; goes into the dead-letter header {@code sl.error.reason}
 * @param errorClass the store's error type or exception class, for example {@code mapper_parsing_exception}
 */
public record EventFailure(Event event, FailureKind kind, String reason, String errorClass) {

    public EventFailure {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(kind, "kind");
        reason = reason == null || reason.isBlank() ? "no reason given" : reason;
        errorClass = errorClass == null ? "" : errorClass;
    }

    /** A transient failure of one event. */
    public static EventFailure retriable(Event event, String reason, String errorClass) {
        return new EventFailure(event, FailureKind.RETRIABLE, reason, errorClass);
    }

    /** A failure that will repeat; the event goes to the dead-letter topic. */
    public static EventFailure permanent(Event event, String reason, String errorClass) {
        return new EventFailure(event, FailureKind.PERMANENT, reason, errorClass);
    }
}
