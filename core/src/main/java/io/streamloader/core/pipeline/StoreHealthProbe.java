package io.streamloader.core.pipeline;

import io.streamloader.spi.Sink;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a sink whether its store is healthy, bounded in time: a store that hangs counts as unhealthy after the timeout
 * instead of stalling the caller. Used where a failure must be told apart from an outage (the pipeline's
 * {@link BatchWriter} and the Kafka Connect adapter) before an event is dead-lettered.
 */
public final class StoreHealthProbe {

    /** The bound a probe gets unless the caller chooses another. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private StoreHealthProbe() {}

    /** Why the store is unhealthy, or empty when {@link Sink#checkHealth()} returned within {@code timeout}. */
    public static Optional<String> problem(Sink sink, Duration timeout) {
        CompletableFuture<Optional<String>> probe = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        sink.checkHealth();
                        return Optional.empty();
                    } catch (Exception e) {
                        return Optional.of("store health check failed: " + message(e));
                    }
                },
                Thread::startVirtualThread);
        try {
            return probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of("store did not answer a health check within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            return Optional.of("store health check failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted during a store health check");
        }
    }

    /** An exception's message, or its {@code toString()} when it has none. */
    public static String message(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.toString() : message;
    }
}
