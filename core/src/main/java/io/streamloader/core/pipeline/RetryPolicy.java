package io.streamloader.core.pipeline;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for events a sink could not store yet.
 *
 * <p>The pipeline does not sleep through a backoff: it pauses its partitions and keeps polling, so the consumer keeps
 * its group membership however long the store is down. That interleaving is why this is a delay calculator and not a
 * retry executor from a library: executors own the waiting loop.
 *
 * @param initialBackoff delay before the first retry
 * @param maxBackoff cap on any single delay
 * @param multiplier growth factor per attempt, at least 1
 * @param jitter fraction of each delay that is randomised, 0 (none) to 1 (full jitter)
 * @param giveUpAfter how long an event may keep failing retryably before it goes to the dead-letter topic; {@link
 *     Duration#ZERO} retries for ever (the right default: an outage must not empty the topic into the DLQ)
 */
public record RetryPolicy(
        Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter, Duration giveUpAfter) {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(30), 2.0, 0.2, Duration.ZERO);

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(giveUpAfter, "giveUpAfter");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive, was " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff (" + maxBackoff + ") must not be below initialBackoff (" + initialBackoff + ")");
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        if (giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("giveUpAfter must not be negative, was " + giveUpAfter);
        }
    }

    /** The delay before retry number {@code attempt} (1 for the first retry), jitter applied. */
    public Duration backoff(int attempt) {
        double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, maxBackoff.toNanos());
        double randomised = capped * (1.0 - jitter * ThreadLocalRandom.current().nextDouble());
        return Duration.ofNanos((long) randomised);
    }

    /** Whether an event that first failed {@code failingFor} ago should now go to the dead-letter topic. */
    public boolean exhausted(Duration failingFor) {
        return !giveUpAfter.isZero() && failingFor.compareTo(giveUpAfter) >= 0;
    }
}
