package io.streamloader.core.pipeline;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for events a sink could not store yet, and the bounds after which a failing event
 * goes to the dead-letter topic.
 *
 * <p>The pipeline does not sleep through a backoff: it pauses its partitions and keeps polling, so the consumer keeps
 * its group membership however long the store is down. That interleaving is why this is a delay calculator and not a
 * retry executor from a library: executors own the waiting loop.
 *
 * <p>Two bounds, for two kinds of retriable failure:
 *
 * <ol>
 *   <li>{@code eventGiveUpAfter} bounds an event that keeps failing retriably <em>on its own</em>: its neighbours in
 *       the same write were stored, or the store's health check passed. Such an event is not waiting for an outage to
 *       end; it is a poison the store keeps calling transient. Default 5 minutes.
 *   <li>{@code giveUpAfter} bounds every retriable failure, a whole-store outage included. Zero (the default) retries
 *       an outage for as long as it takes: an outage must not empty the topic into the DLQ.
 * </ol>
 *
 * @param initialBackoff delay before the first retry
 * @param maxBackoff cap on any single delay
 * @param multiplier growth factor per attempt, at least 1
 * @param jitter fraction of each delay that is randomised, 0 (none) to 1 (full jitter)
 * @param giveUpAfter how long an event may keep failing retriably for any reason, outages included, before it goes
 *     to the dead-letter topic; {@link Duration#ZERO} retries for ever
 * @param eventGiveUpAfter how long an event may keep failing retriably while the store is healthy before it goes to
 *     the dead-letter topic; {@link Duration#ZERO} retries for ever
 */
public record RetryPolicy(
        Duration initialBackoff,
        Duration maxBackoff,
        double multiplier,
        double jitter,
        Duration giveUpAfter,
        Duration eventGiveUpAfter) {

    /** The default bound on an event failing retriably on its own: minutes, not for ever. */
    public static final Duration DEFAULT_EVENT_GIVE_UP_AFTER = Duration.ofMinutes(5);

    public static final RetryPolicy DEFAULT = new RetryPolicy(
            Duration.ofMillis(100), Duration.ofSeconds(30), 2.0, 0.2, Duration.ZERO, DEFAULT_EVENT_GIVE_UP_AFTER);

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(giveUpAfter, "giveUpAfter");
        Objects.requireNonNull(eventGiveUpAfter, "eventGiveUpAfter");
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
        if (eventGiveUpAfter.isNegative()) {
            throw new IllegalArgumentException("eventGiveUpAfter must not be negative, was " + eventGiveUpAfter);
        }
    }

    /** A policy with the default {@link #eventGiveUpAfter()} of {@link #DEFAULT_EVENT_GIVE_UP_AFTER}. */
    public RetryPolicy(
            Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter, Duration giveUpAfter) {
        this(initialBackoff, maxBackoff, multiplier, jitter, giveUpAfter, DEFAULT_EVENT_GIVE_UP_AFTER);
    }

    /** The delay before retry number {@code attempt} (1 for the first retry), jitter applied. */
    public Duration backoff(int attempt) {
        double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, maxBackoff.toNanos());
        double randomised = capped * (1.0 - jitter * ThreadLocalRandom.current().nextDouble());
        return Duration.ofNanos((long) randomised);
    }

    /** Whether an event that first failed {@code failingFor} ago, for any reason, should now be dead-lettered. */
    public boolean exhausted(Duration failingFor) {
        return !giveUpAfter.isZero() && failingFor.compareTo(giveUpAfter) >= 0;
    }

    /** Whether an event failing on its own (store healthy) for {@code failingFor} should now be dead-lettered. */
    public boolean eventExhausted(Duration failingFor) {
        return !eventGiveUpAfter.isZero() && failingFor.compareTo(eventGiveUpAfter) >= 0;
    }
}
