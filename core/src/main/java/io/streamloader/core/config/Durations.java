package io.streamloader.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as operators write them: a whole number with a unit ({@code 100ms}, {@code 30s}, {@code 5m},
 * {@code 1h}, {@code 2d}) or ISO-8601 ({@code PT1S}, {@code P1DT2H}).
 *
 * <p>A bare number is rejected on purpose: {@code linger: 200} is ambiguous between milliseconds and seconds, and the
 * wrong guess is a silent 1000× error.
 */
public final class Durations {

    /** The accepted forms, for messages. */
    public static final String FORMS =
            "a whole number with a unit ms, s, m, h or d (e.g. 100ms, 30s, 5m), or ISO-8601" + " (e.g. PT1S)";

    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {}

    /**
     * Parses a non-negative duration.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Duration parse(String text) {
        String s = text.strip();
        Matcher m = WITH_UNIT.matcher(s);
        if (m.matches()) {
            return withUnit(s, m.group(1), m.group(2));
        }
        if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                Duration d = Duration.parse(s.toUpperCase(Locale.ROOT));
                if (d.isNegative()) {
                    throw new IllegalArgumentException("must not be negative, was " + text);
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("is not a valid ISO-8601 duration: " + quoted(text));
            }
        }
        String hint = s.matches("\\d+") ? " (a bare number has no unit; write " + s + "ms or " + s + "s)" : "";
        throw new IllegalArgumentException("expected " + FORMS + ", was " + quoted(text) + hint);
    }

    private static Duration withUnit(String text, String digits, String unit) {
        try {
            long amount = Long.parseLong(digits);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw new IllegalStateException("unit " + unit);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("is too large: " + quoted(text));
        }
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
        return "\"" + s + "\"";
    }
}
