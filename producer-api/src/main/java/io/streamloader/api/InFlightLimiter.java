package io.streamloader.api;

import java.util.concurrent.Semaphore;

/**
 * Bounds the request bytes being read, parsed and published at once, counted as they arrive (not as a {@code
 * Content-Length} declares them). A request that would exceed the bound is refused at once with 429
 * rather than queued: queueing would only move the overload into memory and latency.
 */
final class InFlightLimiter {

    private final Semaphore permits;
    private final int capacity;
    private final long retryAfterSeconds;

    InFlightLimiter(long capacityBytes, long retryAfterSeconds) {
        this.capacity = Math.toIntExact(capacityBytes);
        this.permits = new Semaphore(capacity);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Reserves {@code bytes} (at least 1) or throws a 429 problem. Close the permit when the request is done. */
    Permit acquire(long bytes) {
        Permit permit = new Permit(0);
        permit.grow(Math.max(1, bytes));
        return permit;
    }

    private ApiProblem full() {
        return ApiProblem.retryLater(
                        429,
                        "Too Many Requests",
                        "more than " + capacity + " request bytes are in flight (api.max-in-flight-bytes);"
                                + " retry later",
                        retryAfterSeconds)
                .with("limit", capacity);
    }

    /** Bytes currently reserved. */
    long inFlight() {
        return capacity - permits.availablePermits();
    }

    /** A reservation; closing it twice releases once. */
    final class Permit implements AutoCloseable {
        private int held;

        private Permit(int held) {
            this.held = held;
        }

        /**
         * Reserves {@code bytes} more, as a body's bytes arrive, or throws a 429 problem (what is already held stays
         * held until {@link #close()}).
         */
        void grow(long bytes) {
            int n = (int) Math.min(bytes, capacity);
            if (n <= 0) {
                return;
            }
            if (!permits.tryAcquire(n)) {
                throw full();
            }
            held += n;
        }

        @Override
        public void close() {
            if (held > 0) {
                permits.release(held);
                held = 0;
            }
        }
    }
}
