package io.streamloader.sink.postgresminio;

import java.text.Normalizer;
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
 * <p>Rendering refuses values that could escape their path segment or produce an unusable key: missing or empty values,
 * {@code .}, values containing {@code /}, {@code \\}, {@code ..}, a percent-encoded sequence ({@code %2e%2e}),
 * control, invisible (format), unpaired-surrogate or unassigned characters, slash lookalikes, or anything that folds
 * (NFKC) to {@code /}, {@code \\} or {@code ..}; and keys longer than 1024 UTF-8 bytes. Such an event fails
 * permanently with a reason naming the variable.
 */
public final class KeyTemplate {
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.-]{0,63})}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9!_.*'()/=-]*");
    private static final int MAX_KEY_BYTES = 1024;
    /** Slashes that NFKC does not fold: fraction slash, division slash, set minus, big solidi. */
    private static final String SLASH_LOOKALIKES = "\u2044\u2215\u2216\u29F5\u29F8\u29F9";

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
                    .orElseThrow(() -> new IllegalArgumentException("object key template " + pattern
                            + " needs variable '" + name + "', which the event does not have (or has as null,"
                            + " an object or an array)"));
            key.append(checkValue(name, value));
        }
        key.append(literals.getLast());
        String rendered = key.toString();
        // a literal ending in '.' next to a value starting with '.' could still make a '..' segment
        for (String segment : rendered.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("object key '" + rendered + "' from template " + pattern
                        + " has an empty, '.' or '..' path segment (variables " + quoted() + ")");
            }
        }
        int bytes = rendered.length() <= MAX_KEY_BYTES / 3
                ? rendered.length() // at most 3 UTF-8 bytes per char: no need to encode a short key
                : rendered.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("object key from template " + pattern + " is " + bytes
                    + " bytes, longer than S3's " + MAX_KEY_BYTES + " (variables " + quoted() + ")");
        }
        return rendered;
    }

    /**
     * Refuses a value that is not one safe, visible path segment. ASCII values (nearly all) are checked in one pass;
     * others are also checked after NFKC compatibility folding, so that a fullwidth {@code ．．／} or a one/two dot
     * leader cannot stand in for {@code ../} in a reader that folds them.
     */
    private static String checkValue(String name, String value) {
        if (value.isEmpty() || value.equals(".")) {
            throw refused(name, value, "is empty or '.'");
        }
        boolean ascii = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw refused(name, value, "contains a control character");
            }
            if (c == '/' || c == '\\') {
                throw refused(name, value, "contains / or \\ (it would add a path segment)");
            }
            if (c == '%' && i + 2 < value.length() && isHex(value.charAt(i + 1)) && isHex(value.charAt(i + 2))) {
                throw refused(name, value, "contains a percent-encoded sequence");
            }
            ascii &= c < 0x80;
        }
        if (value.contains("..")) {
            throw refused(name, value, "contains '..'");
        }
        if (!ascii) {
            checkUnicode(name, value);
        }
        return value;
    }

    private static void checkUnicode(String name, String value) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            switch (Character.getType(cp)) {
                case Character.CONTROL,
                        Character.FORMAT,
                        Character.SURROGATE,
                        Character.UNASSIGNED,
                        Character.PRIVATE_USE,
                        Character.LINE_SEPARATOR,
                        Character.PARAGRAPH_SEPARATOR ->
                    throw refused(
                            name,
                            value,
                            String.format("contains U+%04X, an invisible, unpaired or unassigned character", cp));
                default -> {}
            }
            if (SLASH_LOOKALIKES.indexOf(cp) >= 0) {
                throw refused(name, value, String.format("contains U+%04X, which looks like / or \\", cp));
            }
            i += Character.charCount(cp);
        }
        String folded = Normalizer.normalize(value, Normalizer.Form.NFKC);
        if (folded.contains("/") || folded.contains("\\") || folded.contains("..") || folded.equals(".")) {
            throw refused(name, value, "folds (NFKC) to a value with /, \\ or '..'");
        }
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static IllegalArgumentException refused(String name, String value, String why) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        StringBuilder printable = new StringBuilder(shown.length());
        shown.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || Character.getType(cp) == Character.SURROGATE) {
                printable.append(String.format("\\u%04x", cp));
            } else {
                printable.appendCodePoint(cp);
            }
        });
        return new IllegalArgumentException(
                "key template variable '" + name + "' " + why + "; refused for the object key: '" + printable + "'");
    }

    private String quoted() {
        return String.join(", ", variables().stream().map(v -> "'" + v + "'").toList());
    }

    @Override
    public String toString() {
        return pattern;
    }
}
