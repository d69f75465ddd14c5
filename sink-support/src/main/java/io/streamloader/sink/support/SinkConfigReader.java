package io.streamloader.sink.support;

import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import java.net.URI;
import java.nio.file.Files;
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
import java.util.function.Function;

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
        problems.add(context.keyPath(key) + ": " + Secret.maskUrls(message));
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
        return typed(key, defaultValue, s -> ConfigGrammar.oneOf(s, Arrays.asList(allowed)))
                .toLowerCase(Locale.ROOT);
    }

    /** A constant of {@code type}, written as its name in any case with {@code -} or {@code _}. */
    public <E extends Enum<E>> E enumValue(String key, E defaultValue) {
        return typed(key, defaultValue, s -> ConfigGrammar.enumValue(s, defaultValue.getDeclaringClass()));
    }

    /** A whole number within {@code [min, max]}. */
    public int integer(String key, int defaultValue, int min, int max) {
        return typed(key, defaultValue, s -> ConfigGrammar.integer(s, min, max));
    }

    /** A whole number within {@code [min, max]}. */
    public long longValue(String key, long defaultValue, long min, long max) {
        return typed(key, defaultValue, s -> ConfigGrammar.whole(s, min, max));
    }

    /** A finite number within {@code [min, max]}. */
    public double doubleValue(String key, double defaultValue, double min, double max) {
        return typed(key, defaultValue, s -> ConfigGrammar.number(s, min, max));
    }

    /** {@code true} or {@code false}, ignoring case. */
    public boolean bool(String key, boolean defaultValue) {
        return typed(key, defaultValue, ConfigGrammar::bool);
    }

    /** A non-negative duration; see {@link ConfigGrammar#duration}. */
    public Duration duration(String key, Duration defaultValue) {
        return typed(key, defaultValue, ConfigGrammar::duration);
    }

    /** A duration greater than zero. */
    public Duration positiveDuration(String key, Duration defaultValue) {
        return typed(key, defaultValue, ConfigGrammar::positiveDuration);
    }

    /** A non-negative size in bytes; see {@link ConfigGrammar#bytes}. */
    public long bytes(String key, long defaultValue) {
        return typed(key, defaultValue, ConfigGrammar::bytes);
    }

    /** A secret (masked wherever printed); {@link Secret#NONE} when absent. */
    public Secret secret(String key) {
        return optional(key).map(Secret::of).orElse(Secret.NONE);
    }

    /** A secret that must be set. */
    public Secret requiredSecret(String key) {
        Secret secret = secret(key);
        if (secret.isEmpty()) {
            problem(key, "is required");
        }
        return secret;
    }

    /** A comma-separated list; blank entries are dropped. */
    public List<String> list(String key, List<String> defaultValue) {
        return optional(key).map(ConfigGrammar::list).orElse(defaultValue);
    }

    /** Comma-separated absolute URLs (scheme and host required); each bad one is a problem. */
    public List<URI> uris(String key, List<URI> defaultValue) {
        List<URI> out = new ArrayList<>();
        for (String s : list(key, List.of())) {
            try {
                out.add(ConfigGrammar.url(s));
            } catch (IllegalArgumentException e) {
                problem(key, e.getMessage());
            }
        }
        return out.isEmpty() ? defaultValue : List.copyOf(out);
    }

    /** One absolute URL (scheme and host required). */
    public URI url(String key, URI defaultValue) {
        return typed(key, defaultValue, ConfigGrammar::url);
    }

    /**
     * A required path, not checked against the file system (parsing stays free of I/O). A value the platform cannot
     * take as a path (a NUL character, say) is a problem naming the key; {@code .} is returned in its place.
     */
    public Path requiredPath(String key) {
        if (required(key).isEmpty()) {
            return Path.of(".");
        }
        return typed(key, Path.of("."), ConfigGrammar::path);
    }

    /** A path, not checked against the file system. */
    public Optional<Path> path(String key) {
        return typed(key, Optional.empty(), s -> Optional.of(ConfigGrammar.path(s)));
    }

    /** A path to a readable file, if the key is set. */
    public Optional<Path> readableFile(String key) {
        Optional<Path> path = path(key);
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
     * The value of {@code key} parsed by {@code grammar}, or {@code defaultValue} when absent; a set but empty value or
     * one the grammar refuses is a problem naming the key (and gives the default, so reading goes on).
     */
    private <T> T typed(String key, T defaultValue, Function<String, T> grammar) {
        read.add(key);
        String value = raw.get(key);
        return value == null ? defaultValue : parse(key, value, defaultValue, grammar);
    }

    /**
     * {@code text} parsed by a {@link ConfigGrammar} function, for values read through {@link #subtree}: a refused
     * value is a problem naming {@code key} (relative to the sink's config) and gives {@code defaultValue}.
     */
    public <T> T parse(String key, String text, T defaultValue, Function<String, T> grammar) {
        try {
            return grammar.apply(text);
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return defaultValue;
        }
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
