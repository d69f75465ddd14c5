package io.streamloader.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API config records' own checks found, each problem with its key path under {@code api:}: every check runs
 * and records, and {@link #throwIfAny()} then reports all of them at once, so that {@link ApiConfigBinder} can hand
 * each to the file's problems under its key. One problem per key path, as in {@code ConfigProblems}.
 *
 * <p>Not thread-safe: one instance belongs to one constructor call.
 */
final class ApiConfigProblems {

    private final Map<String, String> found = new LinkedHashMap<>();

    /** Records {@code message} under {@code keyPath} unless {@code ok}; the message starts with the key path. */
    void require(boolean ok, String keyPath, String message) {
        if (!ok) {
            found.putIfAbsent(keyPath, message);
        }
    }

    /** @throws Invalid listing every problem recorded */
    void throwIfAny() {
        if (!found.isEmpty()) {
            throw new Invalid(List.copyOf(found.entrySet()));
        }
    }

    /** A record's checks failed: {@link #problems()} has each problem with its key path, the message all of them. */
    static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final transient List<Map.Entry<String, String>> problems;

        Invalid(List<Map.Entry<String, String>> problems) {
            super(String.join("; ", problems.stream().map(Map.Entry::getValue).toList()));
            this.problems = List.copyOf(problems);
        }

        /** Each problem as key path → message (the message starts with the key path). */
        List<Map.Entry<String, String>> problems() {
            return problems;
        }
    }
}
