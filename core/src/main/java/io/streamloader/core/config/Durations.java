package io.streamloader.core.config;

import io.streamloader.sink.support.ConfigGrammar;
import java.time.Duration;

/**
 * Durations as operators write them (the one grammar, {@link ConfigGrammar}, shared with the plugins): a whole number with a unit ({@code 100ms}, {@code 30s}, {@code 5m},
 * {@code 1h}, {@code 2d}) or ISO-8601 ({@code PT1S}, {@code P1DT2H}).
 *
 * <p>A bare number is rejected on purpose: {@code linger: 200} is ambiguous between milliseconds and seconds, and the
 * wrong guess is a silent 1000× error.
 */
public final class Durations {

    /** The accepted forms, for messages. */
    public static final String FORMS = ConfigGrammar.DURATION_FORMS;

    private Durations() {}

    /**
     * Parses a non-negative duration; see {@link ConfigGrammar#duration}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Duration parse(String text) {
        return ConfigGrammar.duration(text);
    }

    /** Writes a duration in the shortest unit form that is exact, for example {@code 30s} or {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (!d.equals(Duration.ofMillis(ms))) {
            return d.toString();
        }
        long[] factors = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < factors.length; i++) {
            if (ms != 0 && ms % factors[i] == 0) {
                return ms / factors[i] + units[i];
            }
        }
        return ms == 0 ? "0s" : ms + "ms";
    }

    static String quoted(String s) {
        return ConfigGrammar.quoted(s);
    }
}
