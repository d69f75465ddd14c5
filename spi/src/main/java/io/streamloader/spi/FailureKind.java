package io.streamloader.spi;

/** Whether a failed event can succeed if written again. */
public enum FailureKind {
    /** Transient: throttling (429), unavailability (503), timeouts. The host retries the event alone with backoff. */
    RETRIABLE,
    /**
     * Will fail the same way every time: mapping conflict, constraint violation, unparseable value. The host sends
     * the event to the dead-letter topic with the reason and moves on.
     */
    PERMANENT
}
