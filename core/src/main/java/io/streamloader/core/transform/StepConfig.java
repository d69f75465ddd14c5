package io.streamloader.core.transform;

import io.streamloader.sink.support.ConfigGrammar;
import io.streamloader.spi.TransformConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads one step's flat keys, collecting every problem; {@link #finish()} throws them all, unknown keys included. */
final class StepConfig {
    private final Map<String, String> raw;
    private final Set<String> known = new TreeSet<>();
    private final List<String> problems = new ArrayList<>();

    StepConfig(Map<String, String> raw) {
        this.raw = raw;
    }

    Optional<String> optional(String key) {
        known.add(key);
        return Optional.ofNullable(raw.get(key));
    }

    String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    String required(String key, String hint) {
        Optional<String> v = optional(key);
        if (v.isEmpty() || v.get().isBlank()) {
            problem(key, "is required: " + hint);
            return "";
        }
        return v.get();
    }

    /** A comma-separated list (YAML lists of scalars arrive joined with commas), blanks dropped. */
    List<String> list(String key) {
        return optional(key).map(ConfigGrammar::list).orElse(List.of());
    }

    boolean bool(String key, boolean defaultValue) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return ConfigGrammar.bool(v.get()); // the one grammar of host and plugins
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
            return defaultValue;
        }
    }

    /** One of {@code allowed}, the first being the default. */
    String oneOf(String key, String... allowed) {
        String v = string(key, allowed[0]).strip();
        if (!Arrays.asList(allowed).contains(v)) {
            problem(key, "must be one of " + String.join(", ", allowed) + ", was '" + v + "'");
            return allowed[0];
        }
        return v;
    }

    boolean has(String key) {
        return raw.containsKey(key);
    }

    void problem(String key, String message) {
        problems.add(key + ": " + message);
    }

    /** Throws every problem found, and one per key no getter asked for. */
    void finish() {
        raw.keySet().stream()
                .filter(k -> !known.contains(k))
                .sorted()
                .forEach(k -> problems.add(k + ": unknown key (known: " + String.join(", ", known) + ")"));
        if (!problems.isEmpty()) {
            throw new TransformConfigException(problems);
        }
    }
}
