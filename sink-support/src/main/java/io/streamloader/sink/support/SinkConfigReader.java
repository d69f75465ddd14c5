package io.streamloader.sink.support;

import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a sink's raw {@code Map<String,String>} into typed values, collecting every problem instead of stopping at the
 * first, each naming the key as the operator wrote it ({@code sinks.<name>.config.<key>}). A sink's config record
 * uses it in a static factory and ends with {@link #finish()}, which also rejects keys nobody read.
 *
 * <pre>{@code
 * SinkConfigReader r = new SinkConfigReader(context);
 * var urls = r.uris("urls", List.of(URI.create("http://localhost:9200")));
 * var timeout = r.duration("request-timeout", Duration.ofSeconds(30));
 * r.finish(); // throws SinkConfigException listing every problem
 * }</pre>
 *
 * Not thread-safe; use it once, while constructing a config.
 */
public final class SinkConfigReader {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern BYTES =
            Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);

    private final SinkContext context;
    private final Map<String, String> raw;
    private final Set<String> read = new HashSet<>();
    private final List<String> problems = new ArrayList<>();

    public SinkConfigReader(SinkContext context) {
        this.context = context;
        this.raw = new TreeMap<>(context.config());
    }

    /** Records a problem with {@code key}; the message should say what is wrong and what is expected. */
    public void problem(String key, String message) {
        problems.add(context.keyPath(key) + ": " + message);
    }

    public Optional<String> optional(String key) {
        read.add(key);
        String value = raw.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public String required(String key) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            problem(key, "is required");
            return "";
        }
        return value.get();
    }

    /** A value that must be one of {@code allowed} (compared case-insensitively, returned lower case). */
    public String oneOf(String key, String defaultValue, String... allowed) {
        String value = string(key, defaultValue).toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(value)) {
            problem(key, "must be one of " + String.join(", ", allowed) + ", was '" + value + "'");
            return defaultValue;
        }
        return value;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.get());
            if (n < min || n > max) {
                problem(key, "must be between " + min + " and " + max + ", was " + n);
                return defaultValue;
            }
            return n;
        } catch (NumberFormatException e) {
            problem(key, "must be a whole number, was '" + value.get() + "'");
            return defaultValue;
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problem(key, "must be true or false, was '" + value.get() + "'");
                yield defaultValue;
            }
        };
    }

    /** A duration such as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601 {@code PT30S}. */
    public Duration duration(String key, Duration defaultValue) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        Matcher m = DURATION.matcher(value.get());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value.get());
        } catch (RuntimeException e) {
            problem(key, "must be a duration like 500ms, 30s, 5m, 1h, was '" + value.get() + "'");
            return defaultValue;
        }
    }

    /** A size such as {@code 512}, {@code 64KiB}, {@code 5MiB}, {@code 1GiB} (KB/MB/GB are 1000-based). */
    public long bytes(String key, long defaultValue) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        Matcher m = BYTES.matcher(value.get());
        if (!m.matches()) {
            problem(key, "must be a size like 512, 64KiB, 5MiB, 1GiB, was '" + value.get() + "'");
            return defaultValue;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "kib" -> n << 10;
            case "mib" -> n << 20;
            case "gib" -> n << 30;
            case "kb" -> n * 1000;
            case "mb" -> n * 1000_000;
            case "gb" -> n * 1000_000_000;
            default -> n;
        };
    }

    /** A comma-separated list; blank entries are dropped. */
    public List<String> list(String key, List<String> defaultValue) {
        return optional(key)
                .map(v -> Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(defaultValue);
    }

    /** Comma-separated absolute URIs (scheme and host required). */
    public List<URI> uris(String key, List<URI> defaultValue) {
        List<URI> out = new ArrayList<>();
        for (String s : list(key, List.of())) {
            try {
                URI uri = new URI(s);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    problem(key, "'" + s + "' is not an absolute URL like http://host:port");
                } else {
                    out.add(uri);
                }
            } catch (URISyntaxException e) {
                problem(key, "'" + s + "' is not a valid URL: " + e.getReason());
            }
        }
        return out.isEmpty() ? defaultValue : List.copyOf(out);
    }

    /**
     * A required path, not checked against the file system (parsing stays free of I/O). A value the platform cannot
     * take as a path (a NUL character, say) is a problem naming the key; {@code .} is returned in its place.
     */
    public Path requiredPath(String key) {
        String text = required(key);
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            problem(key, "is not a valid path: " + e.getReason());
            return Path.of(".");
        }
    }

    /** A path to a readable file, if the key is set. */
    public Optional<Path> readableFile(String key) {
        Optional<Path> path = optional(key).map(Path::of);
        if (path.isPresent() && !Files.isReadable(path.get())) {
            problem(key, "file " + path.get().toAbsolutePath() + " does not exist or is not readable");
            return Optional.empty();
        }
        return path;
    }

    /** Every key under {@code prefix.} with the prefix removed, e.g. {@code indexes.*}; marks them read. */
    public Map<String, String> subtree(String prefix) {
        Map<String, String> out = new TreeMap<>();
        String dotted = prefix + ".";
        raw.forEach((k, v) -> {
            if (k.startsWith(dotted)) {
                read.add(k);
                out.put(k.substring(dotted.length()), v);
            }
        });
        return out;
    }

    /**
     * Rejects keys that were never read, then throws if any problem was recorded.
     *
     * @throws SinkConfigException listing every problem, each naming its key
     */
    public void finish() {
        for (String key : raw.keySet()) {
            if (!read.contains(key)) {
                problems.add(context.keyPath(key) + ": unknown setting; known settings are "
                        + String.join(", ", new java.util.TreeSet<>(read)));
            }
        }
        if (!problems.isEmpty()) {
            throw new SinkConfigException(problems);
        }
    }

    /**
     * {@link #finish()}, then {@code config}: {@code return r.finish(new MyConfig(r.required("a"), ...));} reads every
     * key (arguments are evaluated first) and returns the config only if no problem was recorded.
     *
     * @throws SinkConfigException listing every problem, each naming its key
     */
    public <T> T finish(T config) {
        finish();
        return config;
    }
}
