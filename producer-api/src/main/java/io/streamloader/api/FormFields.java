package io.streamloader.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
        // a form body is ASCII with percent-escapes; bytes that are not UTF-8 are refused, never replaced with U+FFFD
        String text = utf8(body, "body").trim();
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
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "field '" + Blobs.abbreviate(name) + "'");
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

    /** Percent-decodes {@code s} ({@code +} is a space) and refuses escapes that are malformed or not UTF-8. */
    private static String decode(String s, String what) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw ApiProblem.badRequest("malformed percent-encoding in " + what + ": '%' must be followed by"
                                    + " two hex digits")
                            .with("field", what);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else { // a run of plain characters at once, so a surrogate pair stays one code point
                int end = i;
                while (end < s.length() && s.charAt(end) != '%' && s.charAt(end) != '+') {
                    end++;
                }
                bytes.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return utf8(bytes.toByteArray(), what);
    }

    private static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiProblem.badRequest("the form's " + what + " is not valid UTF-8")
                    .with("field", what);
        }
    }
}
