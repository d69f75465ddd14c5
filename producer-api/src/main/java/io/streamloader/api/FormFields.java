package io.streamloader.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * An {@code application/x-www-form-urlencoded} body as a JSON object. Values that are JSON numbers stay numbers
 * ({@code speed=85.6} → 85.6, exactly), so the fleet demo's telemetry arrives typed; a repeated name becomes an array.
 * Numbers with leading zeros ({@code zip=01234}) stay strings, as they are usually codes.
 */
final class FormFields {

    private static final Pattern NUMBER =
            Pattern.compile("-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?");
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private FormFields() {}

    /** The form's fields; more than {@code maxFields} gives 413 before any field past the cap is decoded. */
    static ObjectNode parse(byte[] body, int maxFields) {
        var object = NODES.objectNode();
        String text = new String(body, StandardCharsets.UTF_8).trim();
        int fields = 0;
        // walked with indexOf rather than split: a body of a million '&' must not become a million strings
        for (int from = 0; from <= text.length(); ) {
            int amp = text.indexOf('&', from);
            int to = amp < 0 ? text.length() : amp;
            String pair = text.substring(from, to);
            from = to + 1;
            if (pair.isEmpty()) {
                continue;
            }
            if (++fields > maxFields) {
                throw RequestLimits.tooMany("form fields", maxFields, "api.limits.max-form-fields");
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), "field name");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "field '" + name + "'");
            if (name.isBlank()) {
                throw ApiProblem.badRequest("a form field has an empty name").with("field", "body");
            }
            JsonNode node =
                    NUMBER.matcher(value).matches() ? NODES.numberNode(new BigDecimal(value)) : NODES.textNode(value);
            JsonNode previous = object.get(name);
            if (previous == null) {
                object.set(name, node);
            } else if (previous instanceof ArrayNode array) {
                array.add(node);
            } else {
                object.putArray(name).add(previous).add(node);
            }
        }
        if (object.isEmpty()) {
            throw ApiProblem.badRequest("the form has no fields").with("field", "body");
        }
        return object;
    }

    private static String decode(String s, String what) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("malformed percent-encoding in " + what + ": " + e.getMessage())
                    .with("field", what);
        }
    }
}
