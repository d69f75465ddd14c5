package io.streamloader.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.streamloader.sink.support.ConfigGrammar;
import io.streamloader.sink.support.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One mapping of the config file with its key path: the binder every component uses to read its section into a typed
 * record.
 *
 * <ol>
 *   <li>Every getter takes a default, or says it is required, and never throws: a missing key gives the default; a
 *       value of the wrong type or out of range records a problem naming the key path and what was expected, and
 *       gives the default, so that parsing continues and every problem is reported at once.
 *   <li>Every key asked for is remembered. {@link #finish()} then records each key present but never asked for as
 *       unknown, with a "did you mean" suggestion when a known key is close, for this node and every section
 *       obtained from it.
 *   <li>A YAML {@code null} (a key with no value) counts as missing.
 * </ol>
 *
 * <p>Not thread-safe: bind a file on one thread.
 */
public final class ConfigNode {

    private final String keyPath;
    private final JsonNode node;
    private final ConfigProblems problems;
    private final Set<String> known = new LinkedHashSet<>();
    private final Map<String, ConfigNode> children = new LinkedHashMap<>();
    private boolean finished;

    private ConfigNode(String keyPath, JsonNode node, ConfigProblems problems) {
        this.keyPath = keyPath;
        this.node = node == null || !node.isObject() ? MissingNode.getInstance() : node;
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /** The root of a parsed file; {@code node} should be a mapping (anything else binds as empty). */
    public static ConfigNode root(JsonNode node, ConfigProblems problems) {
        return new ConfigNode("", node, problems);
    }

    static ConfigNode of(String keyPath, JsonNode node, ConfigProblems problems) {
        return new ConfigNode(keyPath, node, problems);
    }

    /** This node's key path, for example {@code sinks.search}; empty for the root. */
    public String keyPath() {
        return keyPath;
    }

    /** The key path of {@code key} in this node, for messages. */
    public String keyPath(String key) {
        return join(keyPath, key);
    }

    /** The problems this node records into, shared with the whole file. */
    public ConfigProblems problems() {
        return problems;
    }

    /** Whether this mapping was present in the file (an absent section binds as empty, giving every default). */
    public boolean isPresent() {
        return !node.isMissingNode();
    }

    /** Whether {@code key} is set here (to anything but {@code null}): for keys whose empty value means something. */
    public boolean has(String key) {
        return value(key).isPresent();
    }

    /** Records a problem with {@code key} of this node, for checks across keys. */
    public void problem(String key, String message) {
        problems.add(keyPath(key), message);
    }

    /** Records a problem with this node as a whole. */
    public void problem(String message) {
        problems.add(keyPath, message);
    }

    public String string(String key, String defaultValue) {
        return scalar(key, defaultValue, "a string", s -> s);
    }

    /** A string that has no default; empty when the key is absent. */
    public Optional<String> optionalString(String key) {
        return Optional.ofNullable(scalar(key, null, "a string", s -> s));
    }

    /** A non-blank string; a problem when absent or blank, and then an empty string. */
    public String requiredString(String key) {
        Optional<String> value = optionalString(key);
        if (value.isEmpty()) {
            problem(key, "is required");
        } else if (value.get().isBlank()) {
            problem(key, "must not be blank");
        }
        return value.orElse("");
    }

    /** A whole number within {@code [min, max]}. */
    public int integer(String key, int defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue, min, max);
    }

    /** A whole number within {@code [min, max]}. */
    public long longValue(String key, long defaultValue, long min, long max) {
        return scalar(key, defaultValue, "a whole number", s -> ConfigGrammar.whole(s, min, max));
    }

    /** A finite number within {@code [min, max]}. */
    public double doubleValue(String key, double defaultValue, double min, double max) {
        return scalar(key, defaultValue, "a number", s -> ConfigGrammar.number(s, min, max));
    }

    /** {@code true} or {@code false}, ignoring case. */
    public boolean bool(String key, boolean defaultValue) {
        return scalar(key, defaultValue, "true or false", ConfigGrammar::bool);
    }

    /** One of {@code allowed}, ignoring case; returns the allowed spelling. */
    public String oneOf(String key, String defaultValue, String... allowed) {
        return scalar(
                key,
                defaultValue,
                "one of " + String.join(", ", allowed),
                s -> ConfigGrammar.oneOf(s, List.of(allowed)));
    }

    /** A constant of {@code type}, written as its name in any case with {@code -} or {@code _}. */
    public <E extends Enum<E>> E enumValue(String key, E defaultValue) {
        return scalar(key, defaultValue, "a name", s -> ConfigGrammar.enumValue(s, defaultValue.getDeclaringClass()));
    }

    /** A secret, masked wherever printed; {@link Secret#NONE} when absent. */
    public Secret secret(String key) {
        return optionalString(key).map(Secret::of).orElse(Secret.NONE);
    }

    /** A non-negative duration; see {@link Durations#parse} for the forms. */
    public Duration duration(String key, Duration defaultValue) {
        return scalar(key, defaultValue, ConfigGrammar.DURATION_FORMS, ConfigGrammar::duration);
    }

    /** A duration greater than zero. */
    public Duration positiveDuration(String key, Duration defaultValue) {
        return scalar(key, defaultValue, ConfigGrammar.DURATION_FORMS, ConfigGrammar::positiveDuration);
    }

    /** A non-negative size in bytes; see {@link ByteSizes#parse} for the forms. */
    public long bytes(String key, long defaultValue) {
        return scalar(key, defaultValue, ConfigGrammar.SIZE_FORMS, ConfigGrammar::bytes);
    }

    public URI uri(String key, URI defaultValue) {
        return scalar(key, defaultValue, "a URI", ConfigGrammar::uri);
    }

    /** An absolute URL with a scheme and a host. */
    public URI url(String key, URI defaultValue) {
        return scalar(key, defaultValue, "a URL", ConfigGrammar::url);
    }

    public Path path(String key, Path defaultValue) {
        return scalar(key, defaultValue, "a file path", ConfigGrammar::path);
    }

    /**
     * A list of strings, written as a YAML list or as one comma-separated string; elements are stripped and empty
     * ones dropped.
     */
    public List<String> stringList(String key, List<String> defaultValue) {
        Optional<JsonNode> value = value(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        JsonNode v = value.get();
        List<String> raw = new ArrayList<>();
        if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                if (v.get(i).isContainerNode()) {
                    problems.add(keyPath(key) + "[" + i + "]", "expected a string, got " + describe(v.get(i)));
                } else if (!v.get(i).isNull()) {
                    raw.add(v.get(i).asText());
                }
            }
        } else if (v.isObject()) {
            problem(key, "expected a list or a comma-separated string, got a mapping");
            return defaultValue;
        } else {
            return ConfigGrammar.list(v.asText());
        }
        return raw.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The mapping under {@code key}; empty (all defaults) when absent, and a problem when not a mapping. */
    public ConfigNode section(String key) {
        ConfigNode existing = children.get(key);
        if (existing != null) {
            return existing;
        }
        JsonNode v = value(key).orElse(null);
        if (v != null && !v.isObject()) {
            problem(key, "expected a mapping, got " + describe(v));
        }
        ConfigNode child = new ConfigNode(keyPath(key), v, problems);
        children.put(key, child);
        return child;
    }

    /** Every key of this node as a named section, in file order: for maps of named things such as sinks. */
    public Map<String, ConfigNode> sections() {
        Map<String, ConfigNode> result = new LinkedHashMap<>();
        names(node).forEach(name -> result.put(name, section(name)));
        return Collections.unmodifiableMap(result);
    }

    /**
     * The mapping under {@code key} flattened to dotted keys ({@code auth: {user: x}} gives {@code auth.user=x}), for
     * settings passed through to another component such as a sink's {@code config:} or Kafka client properties.
     * Lists of scalars are joined with commas; a list holding mappings gives {@code key.0.field}; {@code null} gives an
     * empty string. Keys are not checked: the receiver owns them.
     */
    public Map<String, String> flatStringMap(String key) {
        JsonNode v = value(key).orElse(null);
        if (v == null) {
            return Map.of();
        }
        if (!v.isObject()) {
            problem(key, "expected a mapping, got " + describe(v));
            return Map.of();
        }
        return Collections.unmodifiableMap(Flattener.flatten(v, keyPath(key), problems));
    }

    /**
     * The list of mappings under {@code key}, each flattened like {@link #flatStringMap(String)}, for ordered steps
     * such as a sink's {@code transforms}; an item that is not a mapping is a problem naming {@code key[i]}. Keys are
     * not checked: the receiver owns them.
     */
    public List<Map<String, String>> flatMappingList(String key) {
        JsonNode v = value(key).orElse(null);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            problem(key, "expected a list of mappings, got " + describe(v));
            return List.of();
        }
        List<Map<String, String>> items = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            String itemPath = keyPath(key) + "[" + i + "]";
            if (!v.get(i).isObject()) {
                problems.add(itemPath, "expected a mapping, got " + describe(v.get(i)));
                items.add(Map.of());
            } else {
                items.add(Collections.unmodifiableMap(Flattener.flatten(v.get(i), itemPath, problems)));
            }
        }
        return List.copyOf(items);
    }

    /**
     * The mapping under {@code key} kept unbound, for a section another module parses with its own binder (which then
     * also checks its keys). Only the key itself counts as known here.
     */
    public RawSection raw(String key) {
        JsonNode v = value(key).orElse(null);
        if (v != null && !v.isObject()) {
            problem(key, "expected a mapping, got " + describe(v));
            v = null;
        }
        return new RawSection(keyPath(key), v);
    }

    /**
     * Records every key of this node and of the sections obtained from it that no getter asked for, with a suggestion
     * when a known key is close. Call once, after binding; later calls do nothing.
     */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        for (String key : names(node)) {
            if (!known.contains(key)) {
                problems.add(keyPath(key), KeySuggestions.unknownKey(key, known));
            }
        }
        children.values().forEach(ConfigNode::finish);
    }

    private <T> T scalar(String key, T defaultValue, String expected, Function<String, T> parse) {
        Optional<JsonNode> value = value(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        JsonNode v = value.get();
        if (v.isContainerNode()) {
            problem(key, "expected " + expected + ", got " + describe(v));
            return defaultValue;
        }
        try {
            return parse.apply(v.asText());
        } catch (IllegalArgumentException e) { // the grammar's message says what was expected and quotes the value
            problem(key, e.getMessage());
        }
        return defaultValue;
    }

    private Optional<JsonNode> value(String key) {
        known.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    static String describe(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        return v.isTextual() ? ConfigGrammar.quoted(v.textValue()) : v.asText();
    }

    /** The keys of a mapping in file order. */
    static List<String> names(JsonNode mapping) {
        List<String> names = new ArrayList<>();
        mapping.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
