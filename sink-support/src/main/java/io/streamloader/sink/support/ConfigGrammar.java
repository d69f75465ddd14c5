package io.streamloader.sink.support;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one spelling of config values, for the host's file ({@code ConfigNode}) and every plugin's settings ({@link
 * SinkConfigReader}): both call these functions, so a value means the same wherever it is written.
 *
 * <ol>
 *   <li>Each function takes the text as written and returns the typed value, or throws {@link
 *       IllegalArgumentException} whose message says what was expected and quotes (shortened, URL secrets masked) what
 *       was found. It never throws anything else: the caller prefixes the key path and carries on.
 *   <li>Surrounding whitespace is ignored; an empty value is a problem (a typed key is either absent or valid).
 *   <li>Digits are ASCII {@code 0-9} only; numbers of any length are compared, never overflowed.
 * </ol>
 *
 * <p>It lives in sink-support, not the SPI: the SPI holds only interfaces, records and enums, and a plugin bundles its
 * own copy of sink-support, so the host and each plugin run this grammar without sharing its classes.
 */
public final class ConfigGrammar {

    /** The accepted duration forms, for messages. */
    public static final String DURATION_FORMS =
            "a whole number with a unit ms, s, m, h or d (e.g. 100ms, 30s, 5m), or ISO-8601 (e.g. PT1S)";

    /** The accepted size forms, for messages. */
    public static final String SIZE_FORMS =
            "a whole number of bytes, optionally with a unit B, KiB, MiB, GiB, TiB (1024-based) or KB, MB, GB, TB"
                    + " (1000-based), e.g. 512, 64KiB, 8MiB";

    /** The longest duration: what {@link Duration#toNanos()} still holds (about 292 years). */
    public static final Duration MAX_DURATION = Duration.ofNanos(Long.MAX_VALUE);

    private static final Pattern WITH_UNIT = Pattern.compile("([0-9]+)[ \\t]*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("([0-9]+)[ \\t]*([a-zA-Z]*)");
    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,4})?");
    private static final int QUOTE_LIMIT = 64;

    private ConfigGrammar() {}

    /** A non-negative duration up to {@link #MAX_DURATION}: {@code 100ms}, {@code 30s}, ISO-8601 {@code PT1S}. */
    public static Duration duration(String text) {
        String s = nonEmpty(text, DURATION_FORMS);
        Matcher m = WITH_UNIT.matcher(s);
        Duration d;
        if (m.matches()) {
            d = withUnit(text, m.group(1), m.group(2));
        } else if (s.startsWith("P") || s.startsWith("p")) {
            try {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new IllegalArgumentException("is not a valid ISO-8601 duration: " + quoted(text));
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException("must not be negative, was " + quoted(text));
            }
        } else {
            String hint = s.matches("[0-9]+") ? " (a bare number has no unit; write " + s + "ms or " + s + "s)" : "";
            throw new IllegalArgumentException("expected " + DURATION_FORMS + ", was " + quoted(text) + hint);
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            throw tooLarge(text, "at most 106751d");
        }
        return d;
    }

    /** A duration greater than zero. */
    public static Duration positiveDuration(String text) {
        Duration d = duration(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("must be positive, was " + quoted(text));
        }
        return d;
    }

    private static Duration withUnit(String text, String digits, String unit) {
        if (digits.length() > 19) {
            throw tooLarge(text, "at most 106751d");
        }
        try {
            long amount = Long.parseLong(digits);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw tooLarge(text, "at most 106751d");
        }
    }

    /** A non-negative size in bytes: {@code 512}, {@code 64KiB}, {@code 8MB}; see {@link #SIZE_FORMS}. */
    public static long bytes(String text) {
        String s = nonEmpty(text, SIZE_FORMS);
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected " + SIZE_FORMS + ", was " + quoted(text));
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
                throw new IllegalArgumentException("unknown unit " + quoted(m.group(2)) + "; expected " + SIZE_FORMS);
        };
        BigInteger size = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(factor));
        if (size.bitLength() > 63) {
            throw tooLarge(text, "at most " + Long.MAX_VALUE + " bytes");
        }
        return size.longValueExact();
    }

    /** {@code true} or {@code false}, ignoring case (not yes/no/on/off: one spelling, as YAML 1.2 has it). */
    public static boolean bool(String text) {
        String s = nonEmpty(text, "true or false");
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, was " + quoted(text));
        };
    }

    /** A whole number within {@code [min, max]}, of any length (too long is out of range, not an overflow). */
    public static long whole(String text, long min, long max) {
        String s = nonEmpty(text, "a whole number");
        if (!WHOLE.matcher(s).matches()) {
            throw new IllegalArgumentException("expected a whole number, was " + quoted(text));
        }
        BigInteger n = new BigInteger(s);
        inRange(n.compareTo(BigInteger.valueOf(min)), n.compareTo(BigInteger.valueOf(max)), min, max, s);
        return n.longValueExact();
    }

    /** A whole number within {@code [min, max]}. */
    public static int integer(String text, int min, int max) {
        return (int) whole(text, min, max);
    }

    /** A finite decimal number within {@code [min, max]} (no NaN, no infinity). */
    public static double number(String text, double min, double max) {
        String s = nonEmpty(text, "a number");
        if (!DECIMAL.matcher(s).matches()) {
            throw new IllegalArgumentException("expected a finite number, was " + quoted(text));
        }
        BigDecimal n = new BigDecimal(s);
        inRange(n.compareTo(BigDecimal.valueOf(min)), n.compareTo(BigDecimal.valueOf(max)), min, max, s);
        return n.doubleValue();
    }

    /** One of {@code allowed}, ignoring case; returns the allowed spelling. */
    public static String oneOf(String text, List<String> allowed) {
        String s = nonEmpty(text, "one of " + String.join(", ", allowed));
        return allowed.stream()
                .filter(a -> a.equalsIgnoreCase(s))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "must be one of " + String.join(", ", allowed) + ", was " + quoted(text)));
    }

    /** The constant of {@code type} whose name matches, ignoring case and treating {@code -} as {@code _}. */
    public static <E extends Enum<E>> E enumValue(String text, Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .toList();
        String name = oneOf(text.strip().replace('_', '-'), names);
        return type.getEnumConstants()[names.indexOf(name)];
    }

    /** Any URI, relative ones included. */
    public static URI uri(String text) {
        String s = nonEmpty(text, "a URI");
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URI: " + quoted(text) + " (" + e.getReason() + ")");
        }
    }

    /** An absolute URL with a scheme and a host, such as {@code http://host:9200}. */
    public static URI url(String text) {
        URI uri;
        try {
            uri = uri(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("URI", "URL"));
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("expected an absolute URL like http://host:port, was " + quoted(text));
        }
        return uri;
    }

    /** A file path as the platform accepts it, not checked against the file system. */
    public static Path path(String text) {
        String s = nonEmpty(text, "a file path");
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("is not a valid path: " + e.getReason());
        }
    }

    /** A comma-separated list; entries are stripped and empty ones dropped. */
    public static List<String> list(String text) {
        return Arrays.stream(text.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /**
     * {@code text} for a message: in double quotes, control characters escaped, URL secrets masked ({@link
     * Secret#maskUrls}), and cut after {@value #QUOTE_LIMIT} characters, so that a hostile value cannot flood a log.
     */
    public static String quoted(String text) {
        String masked = Secret.maskUrls(text);
        StringBuilder out = new StringBuilder("\"");
        masked.codePoints().limit(QUOTE_LIMIT).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        if (masked.codePointCount(0, masked.length()) > QUOTE_LIMIT) {
            out.append("…");
        }
        return out.append('"').toString();
    }

    private static String nonEmpty(String text, String expected) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("expected " + expected + ", was empty");
        }
        return s;
    }

    private static IllegalArgumentException tooLarge(String text, String limit) {
        return new IllegalArgumentException("is too large (" + limit + "): " + quoted(text));
    }

    /** A number's text (digits only, checked) for a message: shortened like {@link #quoted}, without quotes. */
    private static void inRange(int toMin, int toMax, Object min, Object max, String digits) {
        String shown = digits.length() > QUOTE_LIMIT ? digits.substring(0, QUOTE_LIMIT) + "…" : digits;
        if (toMin < 0) {
            throw new IllegalArgumentException("must be at least " + min + ", was " + shown);
        }
        if (toMax > 0) {
            throw new IllegalArgumentException("must be at most " + max + ", was " + shown);
        }
    }
}
