package io.streamloader.api;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the request bytes being read, parsed and published at once, counted as they arrive (not as a {@code
 * Content-Length} declares them). A request that would exceed the bound is refused at once with 429 rather than
 * queued: queueing would only move the overload into memory and latency.
 *
 * <p>It also keeps large bodies from starving small ones: a request holding more than {@link #LARGE} bytes continues
 * only with one of a few <em>large-body turns</em> (half the processors, at least one). Turns are handed out in arrival
 * order; a request that gets none within {@link #TURN_WAIT} is refused with 429. While it waits, its body is left
 * unread, so its sender is slowed by TCP, not served. Small requests (every single event, a batch of a hundred 1 KB
 * events) never wait for a turn, nor do blobs (an image is copied, not parsed: {@link Permit#withoutTurn()}), so
 * parsing multi-MiB bodies can take at most that many cores' worth of the handler threads, whatever the number of
 * large senders.
 */
final class InFlightLimiter {

    /** The bytes past which a request needs a large-body turn. */
    static final int LARGE = 256 * 1024;
    /** How long a large body waits for a turn before its 429. */
    static final Duration TURN_WAIT = Duration.ofSeconds(1);

    private final Semaphore permits;
    private final Semaphore turns;
    private final int capacity;
    private final int turnCount;
    private final long retryAfterSeconds;
    private final long turnWaitNanos;

    InFlightLimiter(long capacityBytes, long retryAfterSeconds) {
        this(capacityBytes, retryAfterSeconds, Math.max(1, Runtime.getRuntime().availableProcessors() / 2), TURN_WAIT);
    }

    /** With {@code largeTurns} large-body turns, each waited for at most {@code turnWait}. */
    InFlightLimiter(long capacityBytes, long retryAfterSeconds, int largeTurns, Duration turnWait) {
        this.capacity = Math.toIntExact(capacityBytes);
        this.turnWaitNanos = turnWait.toNanos();
        this.permits = new Semaphore(capacity);
        this.turnCount = largeTurns;
        this.turns = new Semaphore(largeTurns, true); // fair: large bodies take turns in arrival order
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * Reserves {@code bytes} (at least 1) or throws a 429 problem; past {@link #LARGE} it also waits for a large-body
     * turn. Close the permit when the request is done.
     */
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

    private ApiProblem noTurn() {
        return ApiProblem.retryLater(
                        429,
                        "Too Many Requests",
                        "other request bodies larger than " + LARGE + " bytes are being processed and this one waited "
                                + TimeUnit.NANOSECONDS.toMillis(turnWaitNanos) + " ms for its turn; retry later",
                        retryAfterSeconds)
                .with("limit", LARGE);
    }

    /** Bytes currently reserved. */
    long inFlight() {
        return capacity - permits.availablePermits();
    }

    /** Large bodies currently holding a turn. */
    int largeInFlight() {
        return turnCount - turns.availablePermits();
    }

    /** Large bodies waiting for a turn (an estimate, for metrics and tests). */
    int waitingForTurn() {
        return turns.getQueueLength();
    }

    /** A reservation; closing it twice releases once. */
    final class Permit implements AutoCloseable {
        private int held;
        private boolean turn;
        private boolean turnless;

        private Permit(int held) {
            this.held = held;
        }

        /**
         * Reserves {@code bytes} more, as a body's bytes arrive, or throws a 429 problem (what is already held stays
         * held until {@link #close()}). The growth that takes the request past {@link #LARGE} waits for a turn first.
         */
        void grow(long bytes) {
            int n = (int) Math.min(bytes, capacity);
            if (n <= 0) {
                return;
            }
            if (!turn && !turnless && (long) held + n > LARGE) {
                awaitTurn();
            }
            if (!permits.tryAcquire(n)) {
                throw full();
            }
            held += n;
        }

        /**
         * Exempts this request from large-body turns: for bodies stored as they are (blobs), whose cost is a copy, not
         * a parse; the in-flight bytes still bound them. Call before the body grows past {@link #LARGE}.
         */
        void withoutTurn() {
            turnless = true;
        }

        private void awaitTurn() {
            try {
                if (!turns.tryAcquire(turnWaitNanos, TimeUnit.NANOSECONDS)) {
                    throw noTurn();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw noTurn();
            }
            turn = true;
        }

        @Override
        public void close() {
            if (held > 0) {
                permits.release(held);
                held = 0;
            }
            if (turn) {
                turns.release();
                turn = false;
            }
        }
    }
}
