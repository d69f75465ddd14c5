package io.streamloader.sink.postgres;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object key pattern such as {@code {topic}/{id}} or {@code {customer_id}/{uuid}}: literal text and {@code {name}}
 * variables. A variable is resolved from the event (a top-level JSON field, or a binary event's metadata) or from the
 * built-ins {@code topic}, {@code id}, {@code partition}, {@code offset} and {@code field} (the JSON field a blob came
 * from).
 *
 * <p>Rendering refuses values that could escape their path segment or produce an unusable key: empty values, values
 * containing {@code /}, {@code ..} or control characters. Such an event fails permanently with the reason.
 */
public final class KeyTemplate {
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.-]{0,63})}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9!_.*'()/=-]*");
    private static final int MAX_KEY_BYTES = 1024;

    private final String pattern;
    private final List<String> literals;
    private final List<String> variables;

    private KeyTemplate(String pattern, List<String> literals, List<String> variables) {
        this.pattern = pattern;
        this.literals = List.copyOf(literals);
        this.variables = List.copyOf(variables);
    }

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static KeyTemplate parse(String pattern) {
        List<String> literals = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        Matcher m = VARIABLE.matcher(pattern);
        int at = 0;
        while (m.find()) {
            literals.add(checkLiteral(pattern.substring(at, m.start()), pattern));
            variables.add(m.group(1));
            at = m.end();
        }
        literals.add(checkLiteral(pattern.substring(at), pattern));
        if (variables.isEmpty()) {
            throw new IllegalArgumentException(
                    "'" + pattern + "' has no {variable}; every event would get the same object key");
        }
        if (pattern.startsWith("/") || pattern.contains("//")) {
            throw new IllegalArgumentException("'" + pattern + "' must not start with / or contain //");
        }
        return new KeyTemplate(pattern, literals, variables);
    }

    private static String checkLiteral(String literal, String pattern) {
        if (literal.contains("{") || literal.contains("}")) {
            throw new IllegalArgumentException("'" + pattern
                    + "' has an unbalanced brace or a bad variable name; variables look like {name} with letters,"
                    + " digits, _ . -");
        }
        if (!LITERAL.matcher(literal).matches() || literal.contains("..")) {
            throw new IllegalArgumentException("'" + pattern + "' has characters that are not safe in object keys in '"
                    + literal + "'; use letters, digits and / ! - _ . * ' ( ) =");
        }
        return literal;
    }

    /** Variable names in order of appearance, without duplicates. */
    public Set<String> variables() {
        return new LinkedHashSet<>(variables);
    }

    /**
     * The key for one blob.
     *
     * @param lookup a variable's value, empty when the event has none
     * @throws IllegalArgumentException when a variable is missing or its value is unsafe; the message names it
     */
    public String render(Function<String, Optional<String>> lookup) {
        StringBuilder key = new StringBuilder(pattern.length() + 48);
        for (int i = 0; i < variables.size(); i++) {
            key.append(literals.get(i));
            String name = variables.get(i);
            String value = lookup.apply(name)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "object key template " + pattern + " needs '" + name + "', which the event does not have"));
            key.append(checkValue(name, value));
        }
        key.append(literals.getLast());
        if (key.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("object key is longer than " + MAX_KEY_BYTES + " bytes");
        }
        return key.toString();
    }

    private static String checkValue(String name, String value) {
        if (value.isEmpty() || value.equals(".") || value.contains("/") || value.contains("..")) {
            throw new IllegalArgumentException("value of '" + name
                    + "' for the object key must be non-empty without / or '..', was '" + value + "'");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            throw new IllegalArgumentException(
                    "value of '" + name + "' for the object key contains control characters or a backslash");
        }
        return value;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
