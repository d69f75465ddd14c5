package io.streamloader.api;

import java.util.concurrent.Semaphore;

/**
 * Bounds the request bytes being published at once. A request that would exceed the bound is refused at once with 429
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
        int n = (int) Math.max(1, Math.min(bytes, capacity));
        if (!permits.tryAcquire(n)) {
            throw ApiProblem.retryLater(
                            429,
                            "Too Many Requests",
                            "more than " + capacity + " request bytes are in flight (api.max-in-flight-bytes);"
                                    + " retry later",
                            retryAfterSeconds)
                    .with("limit", capacity);
        }
        return new Permit(n);
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

        @Override
        public void close() {
            if (held > 0) {
                permits.release(held);
                held = 0;
            }
        }
    }
}
