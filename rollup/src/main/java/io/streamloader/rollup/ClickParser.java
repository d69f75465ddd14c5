package io.streamloader.rollup;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;

/**
 * Reads a click event in either of seed 001's shapes: an object with named fields, or the original positional array
 * {@code [user_id, timestamp, url, country, city, browser, os, device]}. {@code user_id}, {@code timestamp}, {@code
 * url} and {@code country} are required; {@code timestamp} is ISO-8601, without a zone meaning UTC (as the original
 * producer wrote it), or with an offset. The other fields are accepted and not used.
 *
 * <p>Stateless and thread-safe.
 */
final class ClickParser {

    static final String PARSE_ERROR = "parse_error";
    static final String INVALID_CLICK = "invalid_click";

    /** The positional form's fields, in order. */
    static final List<String> FIELDS =
            List.of("user_id", "timestamp", "url", "country", "city", "browser", "os", "device");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClickParser() {}

    static ParsedClick parse(byte[] value, String eventId) {
        ParsedClick parsed = parseValue(value, eventId);
        return parsed instanceof ParsedClick.Rejected r
                ? new ParsedClick.Rejected(r.reason(), r.errorClass(), value)
                : parsed;
    }

    private static ParsedClick parseValue(byte[] value, String eventId) {
        if (value == null || value.length == 0) {
            return new ParsedClick.Rejected("value is empty", PARSE_ERROR, null);
        }
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JacksonException e) {
            return new ParsedClick.Rejected("value is not JSON: " + e.getOriginalMessage(), PARSE_ERROR, null);
        } catch (java.io.IOException e) {
            return new ParsedClick.Rejected("value is not JSON: " + e.getMessage(), PARSE_ERROR, null);
        }
        if (node == null || node.isMissingNode()) {
            return new ParsedClick.Rejected("value is empty", PARSE_ERROR, null);
        }
        if (node.isArray()) {
            if (node.size() != FIELDS.size()) {
                return new ParsedClick.Rejected(
                        "positional click must have " + FIELDS.size() + " elements " + FIELDS + ", had " + node.size(),
                        INVALID_CLICK,
                        null);
            }
            return fromFields(i -> node.get(i), eventId);
        }
        if (!node.isObject()) {
            return new ParsedClick.Rejected(
                    "click must be a JSON object or an array of " + FIELDS.size() + ", was " + node.getNodeType(),
                    INVALID_CLICK,
                    null);
        }
        return fromFields(i -> node.get(FIELDS.get(i)), eventId);
    }

    private static ParsedClick fromFields(java.util.function.IntFunction<JsonNode> field, String eventId) {
        String[] text = new String[4];
        for (int i = 0; i < text.length; i++) {
            JsonNode v = field.apply(i);
            if (v == null
                    || v.isNull()
                    || v.isMissingNode()
                    || (v.isValueNode() && v.asText().isBlank())) {
                return new ParsedClick.Rejected("missing " + FIELDS.get(i), INVALID_CLICK, null);
            }
            if (v.isContainerNode()) {
                return new ParsedClick.Rejected(
                        FIELDS.get(i) + " must be a string, was a " + v.getNodeType(), INVALID_CLICK, null);
            }
            text[i] = v.asText().strip();
        }
        long timestamp;
        try {
            timestamp = timestampMillis(text[1]);
        } catch (DateTimeException | ArithmeticException e) {
            return new ParsedClick.Rejected(
                    "bad timestamp '" + text[1] + "': expected ISO-8601 such as 2023-07-10T22:04:43 (UTC)",
                    INVALID_CLICK,
                    null);
        }
        return new ParsedClick.Valid(new Click(eventId, text[0], text[2], text[3], timestamp));
    }

    /** ISO-8601 date-time; without an offset it is UTC. */
    static long timestampMillis(String text) {
        TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parse(text);
        Instant instant = parsed.isSupported(ChronoField.OFFSET_SECONDS)
                ? Instant.from(parsed)
                : LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
        return instant.toEpochMilli();
    }
}
