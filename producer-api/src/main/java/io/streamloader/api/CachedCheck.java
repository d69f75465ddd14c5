package io.streamloader.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A health probe that costs the same whatever the request rate: an answer is reused for {@code ttl}, at most one probe
 * runs at a time (callers arriving meanwhile wait for that one), and a caller waits at most {@code timeout} before it
 * gets the {@code onFailure} answer (the probe keeps running and its answer is cached when it comes). So a flood of
 * {@code /health/ready} starts at most one store probe per {@code ttl}.
 *
 * @param <T> the answer
 */
public final class CachedCheck<T> {

    private final Supplier<T> probe;
    private final long ttlNanos;
    private final Duration timeout;
    private final Function<String, T> onFailure;
    private final LongSupplier nanoTime;
    private T cached;
    private long cachedAt;
    private CompletableFuture<T> inFlight;

    /**
     * @param probe the expensive check; it is called on a virtual thread
     * @param ttl how long an answer is reused; zero: only while a probe is in flight
     * @param timeout how long a caller waits for a probe
     * @param onFailure the answer when the probe timed out or threw, given why
     */
    public CachedCheck(Supplier<T> probe, Duration ttl, Duration timeout, Function<String, T> onFailure) {
        this(probe, ttl, timeout, onFailure, System::nanoTime);
    }

    CachedCheck(
            Supplier<T> probe, Duration ttl, Duration timeout, Function<String, T> onFailure, LongSupplier nanoTime) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.ttlNanos = ttl.toNanos();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.nanoTime = nanoTime;
    }

    /** The cached answer when fresh, else the answer of the running (or a new) probe, within the timeout. */
    public T get() {
        CompletableFuture<T> running;
        synchronized (this) {
            if (cached != null && nanoTime.getAsLong() - cachedAt < ttlNanos) {
                return cached;
            }
            running = inFlight;
            if (running == null) {
                running = CompletableFuture.supplyAsync(this::probeSafely, Thread::startVirtualThread);
                inFlight = running;
                running.thenAccept(this::store); // may run right here when the probe was quick
            }
        }
        try {
            return running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return onFailure.apply("no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return onFailure.apply("interrupted");
        } catch (ExecutionException e) {
            return onFailure.apply("probe failed"); // probeSafely does not throw; kept for completeness
        }
    }

    private T probeSafely() {
        try {
            return Objects.requireNonNull(probe.get(), "probe answer");
        } catch (RuntimeException e) {
            return onFailure.apply("probe failed: " + e.getClass().getSimpleName());
        }
    }

    private synchronized void store(T answer) {
        cached = answer;
        cachedAt = nanoTime.getAsLong();
        inFlight = null;
    }
}
