package io.streamloader.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A section of the file that core keeps unbound because another module owns its keys (for example {@code api:},
 * owned by producer-api). Already interpolated. The owner binds it with {@link #bind(ConfigProblems)} and its own
 * record, and calls {@link ConfigNode#finish()} to reject unknown keys.
 *
 * <p>Immutable: each {@link #bind} works on a fresh copy.
 */
public final class RawSection {

    private final String keyPath;
    private final JsonNode node;

    RawSection(String keyPath, JsonNode node) {
        this.keyPath = Objects.requireNonNull(keyPath, "keyPath");
        this.node = node == null ? null : node.deepCopy();
    }

    /** An absent section at {@code keyPath}, for tests and callers without a file. */
    public static RawSection absent(String keyPath) {
        return new RawSection(keyPath, null);
    }

    /** Where the section is in the file, for example {@code api}. */
    public String keyPath() {
        return keyPath;
    }

    /** Whether the file had this section. */
    public boolean isPresent() {
        return node != null;
    }

    /** A binder over this section recording into {@code problems}; an absent section binds as empty. */
    public ConfigNode bind(ConfigProblems problems) {
        return ConfigNode.of(keyPath, node == null ? null : node.deepCopy(), problems);
    }

    @Override
    public String toString() {
        return "RawSection[" + keyPath + (node == null ? ", absent]" : ", keys=" + ConfigNode.names(node) + "]");
    }
}
