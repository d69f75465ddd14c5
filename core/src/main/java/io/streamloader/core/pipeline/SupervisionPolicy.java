package io.streamloader.core.pipeline;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What a runner's supervisor does once a worker went {@code FAILED} (a {@link io.streamloader.spi.FatalSinkException}
 * or another error that stopped it): restart the runner after a backoff, leave it stopped, or end the process.
 *
 * @param onFailure what to do
 * @param initialBackoff delay before the first restart; doubled per consecutive failure
 * @param maxBackoff cap on that delay; a runner that ran this long without failing starts again from {@code
 *     initialBackoff}
 */
public record SupervisionPolicy(OnFailure onFailure, Duration initialBackoff, Duration maxBackoff) {

    public static final SupervisionPolicy DEFAULT =
            new SupervisionPolicy(OnFailure.RESTART, Duration.ofSeconds(1), Duration.ofMinutes(1));

    /** The reactions to a failed runner; the config spells them in lower case. */
    public enum OnFailure {
        /** Close the failed workers, wait the backoff, start fresh ones (same group: they resume where it stopped). */
        RESTART,
        /** Leave the runner {@code FAILED}; other runners go on. */
        STOP,
        /** Close everything and end the process with exit code 1, so an orchestrator restarts it. */
        EXIT;

        /** The config's spelling. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SupervisionPolicy {
        Objects.requireNonNull(onFailure, "onFailure");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive, was " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff (" + maxBackoff + ") must not be below initialBackoff (" + initialBackoff + ")");
        }
    }

    /** The delay before restart number {@code consecutive} (1 for the first after a healthy run), no jitter. */
    public Duration backoff(int consecutive) {
        int doublings = Math.min(Math.max(0, consecutive - 1), 40);
        long nanos = initialBackoff.toNanos();
        for (int i = 0; i < doublings && nanos < maxBackoff.toNanos(); i++) {
            nanos = nanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : nanos * 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxBackoff.toNanos()));
    }
}
