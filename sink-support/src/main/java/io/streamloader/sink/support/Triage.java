package io.streamloader.sink.support;

import io.streamloader.spi.FailureKind;

/**
 * What a store's error means for the pipeline: the one vocabulary the built-in sinks' triage classes ({@code
 * ElasticsearchTriage}, {@code MongoTriage}, {@code PostgresMinioTriage}) sort their store's errors into.
 */
public final class Triage {

    /** The four things a sink can do with a store's error; each constant names what the sink does next. */
    public enum Outcome {
        /**
         * The store as a whole is unreachable, timed out or failing over, whatever the batch held: the sink throws
         * {@link io.streamloader.spi.RetriableSinkException} and the host retries the whole batch.
         */
        UNAVAILABLE,
        /**
         * This event failed for a reason that passes (throttling, a write conflict, a 5xx): reported as {@link
         * FailureKind#RETRIABLE}, the host writes it again, alone, with backoff.
         */
        RETRIABLE,
        /**
         * This event fails the same way every time (a mapping conflict, a constraint, a value the store refuses):
         * reported as {@link FailureKind#PERMANENT}, the host dead-letters it with the store's reason.
         */
        PERMANENT,
        /**
         * The store refuses the sink itself (credentials, rights, a missing bucket or table): no event can be stored,
         * the sink throws {@link io.streamloader.spi.FatalSinkException} and the runner stops.
         */
        FATAL;

        /**
         * The failure kind a sink reports for one event with this outcome.
         *
         * @throws IllegalStateException for {@link #UNAVAILABLE} and {@link #FATAL}, which are about the store, not an
         *     event: a sink throws for those instead
         */
        public FailureKind failureKind() {
            return switch (this) {
                case RETRIABLE -> FailureKind.RETRIABLE;
                case PERMANENT -> FailureKind.PERMANENT;
                case UNAVAILABLE, FATAL ->
                    throw new IllegalStateException(this + " is about the store, not one event: throw instead");
            };
        }

        /** Whether the event or batch may be stored if written again later ({@link #UNAVAILABLE} or {@link #RETRIABLE}). */
        public boolean passes() {
            return this == UNAVAILABLE || this == RETRIABLE;
        }
    }

    private Triage() {}

    /** Causes followed at most: a library's cause chain may loop back on itself. */
    static final int MAX_CAUSES = 64;

    /** Whether {@code error} or one of its first {@value #MAX_CAUSES} causes is a {@code type}. */
    public static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
