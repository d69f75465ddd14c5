package io.streamloader.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a request body into the events it holds, one parser per {@link BodyKind}. Pure: no I/O, no Kafka. Every
 * refusal is an {@link ApiProblem} naming the line, column, element or field at fault.
 *
 * <p>A JSON array is a list of objects, one event each. For a topic of {@code api.positional-topics} it may instead be
 * one positional event (an array of scalars, such as seed 001's click {@code ["u1","2023-07-01T10:00:00",...]}) or a
 * list of them (an array of arrays of scalars). A positional event has no fields, so its id is the
 * {@code Idempotency-Key} or a UUIDv7 and its key the id, as for an object without those fields.
 */
final class BodyParser {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    /** Appended where a non-positional topic refuses an array that is not an object. */
    private static final String POSITIONAL_HINT =
            " (list the topic under api.positional-topics to accept positional arrays)";

    private final ApiConfig config;
    private final JsonFactory factory;
    private final int maxEvents;

    BodyParser(ApiConfig config) {
        this.config = config;
        this.maxEvents = config.limits().maxEventsPerRequest();
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(config.limits().maxNestingDepth())
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes()))
                        .maxNameLength(64 * 1024)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** The events of a body posted to {@code topic}. */
    /**
     * The events of a body posted to {@code topic}. JSON, NDJSON and form bodies are parsed as they arrive and refused
     * at the first element past a limit, without reading the rest.
     */
    List<PendingEvent> parse(String topic, IncomingBody body) {
        BodyKind kind = BodyKind.of(body.contentType(), config.blobContentTypes(topic));
        return switch (kind) {
            case JSON -> json(body, config.positional(topic));
            case NDJSON -> ndjson(body, config.positional(topic));
            case FORM -> List.of(form(body));
            case BLOB -> {
                requireContent(body.bytes());
                yield List.of(Blobs.event(body));
            }
        };
    }

    /**
     * A JSON body, streamed: each event's bytes are sliced out of the body as the parser passes them and only its
     * top-level id and key fields are read, so no tree is built and the event count is checked before each event.
     */
    private List<PendingEvent> json(IncomingBody body, boolean positional) {
        BoundedBody in = body.content();
        try (JsonParser p = factory.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw empty();
            }
            requireUtf8(p);
            if (first == JsonToken.START_OBJECT) {
                Fields fields = fields(p);
                requireEnd(p);
                return List.of(event(fields, in.readFully(), body, 0, 1));
            }
            if (first != JsonToken.START_ARRAY) {
                throw ApiProblem.badRequest("a JSON body must be an object or an array of objects"
                                + (positional ? " or positional arrays" : "") + ", got " + type(first))
                        .with("field", "body");
            }
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_ARRAY) {
                throw ApiProblem.badRequest("the JSON array is empty: no events to publish")
                        .with("field", "body");
            }
            if (positional && t != null && t.isScalarValue()) {
                // one positional event: the body's bytes unchanged
                requireScalars(p, t, "", 0);
                requireEnd(p);
                return List.of(event(Fields.NONE, in.readFully(), body, 0, 1));
            }
            boolean arrays = positional && t == JsonToken.START_ARRAY;
            var events = new ArrayList<PendingEvent>();
            var slices = new ArrayList<byte[]>();
            var fieldsOf = new ArrayList<Fields>();
            for (int i = 0; t != JsonToken.END_ARRAY; i++, t = p.nextToken()) {
                if (t == null) {
                    throw malformed(p, "unexpected end of input in the array");
                }
                if (i >= maxEvents) {
                    throw RequestLimits.tooMany("events", maxEvents, "api.limits.max-events-per-request");
                }
                long start = p.currentTokenLocation().getByteOffset();
                Fields fields;
                if (arrays) {
                    if (t != JsonToken.START_ARRAY) {
                        throw ApiProblem.badRequest("element [" + i + "] is " + type(t)
                                        + ", not an array like element [0]: a list of positional events holds"
                                        + " arrays only")
                                .with("field", "/" + i);
                    }
                    requireScalars(p, p.nextToken(), "/" + i, 0);
                    fields = Fields.NONE;
                } else {
                    if (t != JsonToken.START_OBJECT) {
                        throw ApiProblem.badRequest("element [" + i + "] is " + type(t) + ", not a JSON object"
                                        + (positional ? " like element [0]" : POSITIONAL_HINT))
                                .with("field", "/" + i);
                    }
                    fields = fields(p);
                }
                long end = p.currentLocation().getByteOffset();
                slices.add(in.slice(start, end));
                fieldsOf.add(fields);
            }
            requireEnd(p);
            for (int i = 0; i < slices.size(); i++) {
                events.add(event(fieldsOf.get(i), slices.get(i), body, i, slices.size()));
            }
            return events;
        } catch (StreamConstraintsException e) {
            throw constraint(e);
        } catch (JsonProcessingException e) {
            throw malformed(e, 0);
        } catch (IOException e) {
            throw ApiProblem.badRequest("unreadable JSON body").with("field", "body");
        }
    }

    /**
     * Checks that the array whose first element token is {@code t} holds only scalars, leaving the parser on its
     * {@code END_ARRAY}. {@code pointer} is where the array sits in the body ({@code ""} for the body itself), {@code
     * line} its NDJSON line (0 for a JSON body).
     */
    private void requireScalars(JsonParser p, JsonToken t, String pointer, int line) throws IOException {
        for (int i = 0; t != JsonToken.END_ARRAY; i++, t = p.nextToken()) {
            if (t == null) {
                throw malformed(p, "unexpected end of input in the array");
            }
            if (!t.isScalarValue()) {
                String field = pointer + "/" + i;
                var problem = ApiProblem.badRequest((line > 0 ? "line " + line + ": " : "") + "element "
                                + field.replaceAll("/(\\d+)", "[$1]") + " is " + type(t)
                                + ": a positional event holds only strings, numbers, booleans and nulls")
                        .with("field", field);
                throw line > 0 ? problem.with("line", line) : problem;
            }
        }
    }

    /** The id and key fields of the object whose START_OBJECT the parser is on; leaves it on the END_OBJECT. */
    private Fields fields(JsonParser p) throws IOException {
        String idField = config.idField().orElse(null);
        String keyField = config.keyField().orElse(null);
        String id = null;
        String key = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == null) {
                break;
            }
            if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                if (name.equals(idField)) {
                    id = p.getText();
                }
                if (name.equals(keyField)) {
                    key = p.getText();
                }
            } else {
                p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw malformed(p, "unexpected end of input in an object");
        }
        return new Fields(id, key);
    }

    /** Refuses a JSON body that is not UTF-8 (RFC 8259): events are sliced from it as bytes and sinks expect UTF-8. */
    private static void requireUtf8(JsonParser p) {
        if (p.currentTokenLocation().getByteOffset() < 0) { // Jackson read it as UTF-16 or UTF-32 characters
            throw ApiProblem.badRequest("a JSON body must be UTF-8").with("field", "body");
        }
    }

    private static void requireContent(byte[] bytes) {
        if (isBlank(bytes)) {
            throw empty();
        }
    }

    private static ApiProblem empty() {
        return ApiProblem.badRequest("request body is empty").with("field", "body");
    }

    /** Refuses anything after the root value. */
    private static void requireEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw malformed(p, "unexpected content after the JSON value");
        }
    }

    private static String type(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NULL -> "null";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "a " + t.name().toLowerCase(Locale.ROOT);
        };
    }

    /** NDJSON, line by line as the lines arrive: the line past the event cap is refused before the rest is read. */
    private List<PendingEvent> ndjson(IncomingBody body, boolean positional) {
        BoundedBody in = body.content();
        var slices = new ArrayList<byte[]>();
        var fieldsOf = new ArrayList<Fields>();
        long start = 0;
        long scanned = 0;
        int line = 1;
        boolean more = true;
        while (more) {
            more = in.fill();
            long newline;
            while ((newline = in.indexOf((byte) '\n', scanned)) >= 0 || !more) {
                long end = newline >= 0 ? newline : in.received();
                byte[] chunk = trim(in.slice(start, end));
                if (chunk.length > 0) {
                    if (slices.size() >= maxEvents) {
                        throw RequestLimits.tooMany("events", maxEvents, "api.limits.max-events-per-request");
                    }
                    fieldsOf.add(line(chunk, line, positional));
                    slices.add(chunk);
                }
                if (newline < 0) {
                    break; // the last line, without a newline
                }
                start = newline + 1;
                scanned = start;
                line++;
            }
            scanned = Math.max(scanned, in.received());
        }
        if (slices.isEmpty()) {
            throw empty();
        }
        var events = new ArrayList<PendingEvent>(slices.size());
        for (int i = 0; i < slices.size(); i++) {
            events.add(event(fieldsOf.get(i), slices.get(i), body, i, slices.size()));
        }
        return events;
    }

    /**
     * A form as one event. Its non-empty {@code &}-separated pairs are counted as they arrive, so a form of a million
     * fields is refused after the first thousand; {@link FormFields} then applies the exact cap (the count here may
     * exceed it by the two pairs that trimming the body removes).
     */
    private PendingEvent form(IncomingBody body) {
        BoundedBody in = body.content();
        int max = config.limits().maxFormFields();
        long pairs = 0;
        long from = 0;
        while (in.fill()) {
            long amp;
            while ((amp = in.indexOf((byte) '&', from)) >= 0) {
                pairs += amp > from ? 1 : 0;
                from = amp + 1;
                if (pairs > max + 2L) {
                    throw RequestLimits.tooMany("form fields", max, "api.limits.max-form-fields");
                }
            }
        }
        byte[] bytes = in.readFully();
        requireContent(bytes);
        return jsonEvent(FormFields.parse(bytes, max), null, body, 0, 1);
    }

    /** Checks one NDJSON line, {@code number} counting from 1, and returns its id and key fields. */
    private Fields line(byte[] chunk, int number, boolean positional) {
        try (JsonParser p = factory.createParser(chunk)) {
            JsonToken t = p.nextToken();
            if (t != null) {
                requireUtf8(p);
            }
            Fields fields;
            if (t == JsonToken.START_OBJECT) {
                fields = fields(p);
            } else if (positional && t == JsonToken.START_ARRAY) {
                requireScalars(p, p.nextToken(), "", number);
                fields = Fields.NONE;
            } else {
                throw ApiProblem.badRequest("line " + number + " is " + type(t) + ", not a JSON object"
                                + (positional
                                        ? " or a positional array"
                                        : t == JsonToken.START_ARRAY ? POSITIONAL_HINT : ""))
                        .with("line", number);
            }
            requireEnd(p);
            return fields;
        } catch (StreamConstraintsException e) {
            throw constraint(e).with("line", number);
        } catch (JsonProcessingException e) {
            throw malformed(e, number);
        } catch (IOException e) {
            throw ApiProblem.badRequest("line " + number + " is unreadable JSON")
                    .with("line", number);
        }
    }

    /** The id and key of a JSON object event, as found by {@link #fields}; null when absent. */
    private record Fields(String id, String key) {
        static final Fields NONE = new Fields(null, null);
    }

    /** One JSON event; {@code raw} are its bytes as the client sent them. */
    private PendingEvent event(Fields fields, byte[] raw, IncomingBody body, int index, int count) {
        String id = Optional.ofNullable(fields.id())
                .map(v -> EventIds.checkClientId(v, "field '" + config.idField().orElse("") + "'"))
                .or(() -> body.idempotencyKey()
                        .map(k -> EventIds.checkClientId(k, "Idempotency-Key"))
                        .map(k -> count == 1 ? k : k + "-" + index))
                .orElseGet(EventIds::uuidV7);
        String key = Optional.ofNullable(fields.key()).orElse(id);
        return new PendingEvent(id, key.getBytes(StandardCharsets.UTF_8), raw, "application/json", Map.of());
    }

    /**
     * A form's JSON object as one event. An array has no fields, so {@code api.id-field} and {@code api.key-field}
     * never match it.
     */
    private PendingEvent jsonEvent(JsonNode node, byte[] raw, IncomingBody body, int index, int count) {
        Fields fields = new Fields(
                config.idField().flatMap(f -> scalar(node, f)).orElse(null),
                config.keyField().flatMap(f -> scalar(node, f)).orElse(null));
        return event(fields, raw != null ? raw : write(node), body, index, count);
    }

    private static ApiProblem constraint(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("nesting")) {
            return ApiProblem.badRequest("JSON nesting is deeper than the limit (api.limits.max-nesting-depth)")
                    .with("field", "api.limits.max-nesting-depth");
        }
        if (m.contains("number")) {
            return ApiProblem.badRequest("a JSON number is longer than 1000 characters")
                    .with("field", "body");
        }
        if (m.contains("name")) {
            return ApiProblem.badRequest("a JSON field name is longer than 65536 characters")
                    .with("field", "body");
        }
        return ApiProblem.badRequest("a JSON string is longer than the body limit (api.max-body-bytes)")
                .with("field", "body");
    }

    private static ApiProblem malformed(JsonParser p, String reason) {
        var loc = p.currentLocation();
        return malformedAt(loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(), reason);
    }

    private static ApiProblem malformed(JsonProcessingException e, int lineOffset) {
        var loc = e.getLocation();
        int line = lineOffset > 0 ? lineOffset : (loc == null ? 0 : loc.getLineNr());
        int column = loc == null ? 0 : loc.getColumnNr();
        String reason = String.valueOf(e.getOriginalMessage());
        if (reason.length() > 200) {
            reason = reason.substring(0, 200) + "...";
        }
        return malformedAt(line, column, reason);
    }

    private static ApiProblem malformedAt(int line, int column, String reason) {
        return ApiProblem.badRequest("malformed JSON at line " + line + ", column " + column + ": " + reason)
                .with("line", line)
                .with("column", column);
    }

    private static Optional<String> scalar(JsonNode node, String field) {
        JsonNode v = node.get(field); // null for an array: it has no fields
        return v != null && v.isValueNode() && !v.isNull() ? Optional.of(v.asText()) : Optional.empty();
    }

    static JsonNode read(byte[] bytes, int lineOffset) {
        try {
            return MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            int line = lineOffset > 0 ? lineOffset : (loc == null ? 0 : loc.getLineNr());
            int column = loc == null ? 0 : loc.getColumnNr();
            String reason = e.getOriginalMessage();
            if (reason.length() > 200) {
                reason = reason.substring(0, 200) + "...";
            }
            return fail(line, column, reason);
        } catch (java.io.IOException e) {
            throw ApiProblem.badRequest("unreadable JSON: " + e.getMessage());
        }
    }

    private static JsonNode fail(int line, int column, String reason) {
        throw ApiProblem.badRequest("malformed JSON at line " + line + ", column " + column + ": " + reason)
                .with("line", line)
                .with("column", column);
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a parsed JSON tree", e);
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static byte[] trim(byte[] bytes) {
        int from = 0;
        int to = bytes.length;
        while (from < to && Character.isWhitespace(bytes[from])) {
            from++;
        }
        while (to > from && Character.isWhitespace(bytes[to - 1])) {
            to--;
        }
        return from == 0 && to == bytes.length ? bytes : Arrays.copyOfRange(bytes, from, to);
    }
}
