package io.streamloader.core.config;

import io.streamloader.sink.support.Secret;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects every problem found while reading a config, so that the operator sees them all at once instead of fixing
 * one per start. Each problem reads {@code key.path: message}.
 *
 * <p>One problem per key path: a later problem for a key that already has one is dropped, because it is a consequence
 * of the first (an unset variable leaves a value empty, which then is also "blank").
 *
 * <p>Not thread-safe: one instance belongs to one parse.
 */
public final class ConfigProblems {

    private final List<String> problems = new ArrayList<>();
    private final Set<String> keyPaths = new HashSet<>();

    /** Records a problem with the value at {@code keyPath}, unless it has one; an empty path means the whole file. */
    public void add(String keyPath, String message) {
        if (keyPaths.add(keyPath)) {
            String masked = Secret.maskUrls(message); // a message may quote a URL carrying a password
            problems.add(keyPath.isEmpty() ? masked : keyPath + ": " + masked);
        }
    }

    /** The problems so far, in the order they were found. */
    public List<String> list() {
        return List.copyOf(problems);
    }

    /** How many problems were recorded so far; compare before and after binding a part to see if it was valid. */
    public int size() {
        return problems.size();
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /**
     * Throws when any problem was recorded.
     *
     * @param source what was read, for the message, for example the file name
     * @throws ConfigException listing every problem
     */
    public void throwIfAny(String source) {
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
    }
}
