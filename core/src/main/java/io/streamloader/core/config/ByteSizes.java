package io.streamloader.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses byte sizes: a whole number of bytes ({@code 512}), or a whole number with a unit. Binary units are powers of
 * 1024 ({@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}); decimal units are powers of 1000 ({@code KB}, {@code
 * MB}, {@code GB}, {@code TB}), as IEC 80000-13 defines them. Units are matched ignoring case; {@code B} means bytes.
 */
public final class ByteSizes {

    /** The accepted forms, for messages. */
    public static final String FORMS =
            "a whole number of bytes, optionally with a unit B, KiB, MiB, GiB, TiB (1024-based) or KB, MB, GB, TB"
                    + " (1000-based), e.g. 512, 64KiB, 8MiB";

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");

    private ByteSizes() {}

    /**
     * Parses a non-negative size in bytes.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected " + FORMS + ", was " + Durations.quoted(text));
        }
        long factor = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            default ->
                throw new IllegalArgumentException(
                        "unknown unit " + Durations.quoted(m.group(2)) + "; expected " + FORMS);
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("is too large: " + Durations.quoted(text));
        }
    }

    /** Writes a size in the largest binary unit that is exact, for example {@code 8MiB} or {@code 1500}. */
    public static String format(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long factor = 1L << (10 * (4 - i));
            if (bytes != 0 && bytes % factor == 0) {
                return bytes / factor + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
