package io.streamloader.launcher.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code since} value of the {@code dlq} command and the console: an ISO-8601 instant ({@code 2026-12-05T10:00:00Z})
 * or a time back from now ({@code 90s}, {@code 30m}, {@code 2h}, {@code 7d}).
 */
public final class Since {
    private static final Pattern AGO = Pattern.compile("(\\d{1,9})([smhd])");

    private Since() {}

    /**
     * Epoch milliseconds of {@code text} against {@code clock}.
     *
     * @throws IllegalArgumentException naming the accepted forms when {@code text} is neither
     */
    public static long parse(String text, Clock clock) {
        String t = text.strip();
        Matcher ago = AGO.matcher(t.toLowerCase(Locale.ROOT));
        if (ago.matches()) {
            long n = Long.parseLong(ago.group(1));
            Duration back = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return Math.max(0, clock.millis() - back.toMillis());
        }
        try {
            return Math.max(0, Instant.parse(t).toEpochMilli());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    "since must be an ISO-8601 instant like 2026-12-05T10:00:00Z or a time back like 30m, 2h, 7d");
        }
    }
}
