package io.streamloader.sink.mongo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Extended-JSON values that the driver's JsonReader converts without complaint into something else than was sent:
 * a {@code $timestamp} whose {@code t} or {@code i} is outside 0..2^32-1 (wrapped to 32 bits), a {@code $binary}
 * sub-type of more than two hex digits (cut to one byte). Checked before JsonReader runs, on values that take its path
 * only; text Jackson cannot read is left to JsonReader, which rejects it or stores it.
 */
final class ExtendedJsonCheck {
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();
    private static final Pattern SUB_TYPE = Pattern.compile("[0-9a-fA-F]{1,2}");
    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    private ExtendedJsonCheck() {}

    /** What is wrong with an extended-JSON value in {@code json}, or null when nothing is found. */
    static String problem(String json) {
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken previous = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME && previous == JsonToken.START_OBJECT) {
                    String problem = switch (parser.currentName()) {
                        case "$timestamp" -> timestamp(parser);
                        case "$binary" -> binary(parser);
                        default -> null;
                    };
                    if (problem != null) {
                        return problem;
                    }
                }
                previous = parser.currentToken();
            }
        } catch (IOException | RuntimeException e) {
            return null; // not strict JSON: JsonReader decides
        }
        return null;
    }

    private static String timestamp(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_NUMBER_INT) {
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        || parser.getLongValue() < 0
                        || parser.getLongValue() > UINT32_MAX) {
                    return "$timestamp field '" + name + "' is " + parser.getText()
                            + "; it must be an unsigned 32-bit integer";
                }
            } else {
                parser.skipChildren();
            }
        }
        return null;
    }

    private static String binary(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("subType")
                    && value == JsonToken.VALUE_STRING
                    && !SUB_TYPE.matcher(parser.getText()).matches()) {
                return "$binary subType '" + parser.getText() + "' is not one or two hex digits";
            }
            parser.skipChildren();
        }
        return null;
    }
}
