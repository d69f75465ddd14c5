package io.streamloader.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in the string values of a parsed YAML tree with environment
 * variables.
 *
 * <ol>
 *   <li>It runs after YAML parsing and only touches string scalars, so a variable's value is always plain text and can
 *       never add keys or structure to the file. Keys are never interpolated.
 *   <li>{@code ${VAR:-default}} uses the default when {@code VAR} is unset or empty, as the shell does.
 *   <li>{@code $${} writes a literal {@code ${}.
 *   <li>A variable that is unset and has no default, a malformed name and an unclosed {@code ${} are problems naming
 *       the key; an unset variable reads as empty so that parsing goes on and reports more.
 * </ol>
 */
final class Interpolator {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private final Map<String, String> env;
    private final ConfigProblems problems;

    Interpolator(Map<String, String> env, ConfigProblems problems) {
        this.env = Objects.requireNonNull(env, "env");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /** Interpolates every string value under {@code node} in place. */
    void apply(JsonNode node, String path) {
        if (node instanceof ObjectNode object) {
            for (String key : ConfigNode.names(object)) {
                JsonNode child = object.get(key);
                String childPath = ConfigNode.join(path, key);
                if (child.isTextual()) {
                    object.set(key, TextNode.valueOf(interpolate(child.textValue(), childPath)));
                } else {
                    apply(child, childPath);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String childPath = path + "[" + i + "]";
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(interpolate(array.get(i).textValue(), childPath)));
                } else {
                    apply(array.get(i), childPath);
                }
            }
        }
    }

    /** Interpolates one value; problems are recorded against {@code path}. */
    String interpolate(String value, String path) {
        if (!value.contains("${")) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            if (value.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (value.startsWith("${", i)) {
                int end = value.indexOf('}', i + 2);
                if (end < 0) {
                    problems.add(path, "unclosed ${ in " + Durations.quoted(value) + "; write $${ for a literal ${");
                    return value;
                }
                out.append(resolve(value.substring(i + 2, end), path));
                i = end + 1;
            } else {
                out.append(value.charAt(i++));
            }
        }
        return out.toString();
    }

    private String resolve(String expression, String path) {
        int sep = expression.indexOf(":-");
        String name = sep < 0 ? expression : expression.substring(0, sep);
        if (!NAME.matcher(name).matches()) {
            problems.add(path, "invalid variable name " + Durations.quoted(name) + " in ${" + expression + "}");
            return "";
        }
        String value = env.get(name);
        if (value != null && !value.isEmpty()) {
            return value;
        }
        if (sep >= 0) {
            return expression.substring(sep + 2);
        }
        problems.add(
                path,
                "environment variable " + name + " is not set and has no default; set it or write ${" + name
                        + ":-default}");
        return "";
    }
}
