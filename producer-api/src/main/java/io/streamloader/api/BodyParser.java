package io.streamloader.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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

    BodyParser(ApiConfig config) {
        this.config = config;
    }

    /** The events of a body posted to {@code topic}. */
    List<PendingEvent> parse(String topic, IncomingBody body) {
        BodyKind kind = BodyKind.of(body.contentType(), config.blobContentTypes());
        if (isBlank(body.bytes())) {
            throw ApiProblem.badRequest("request body is empty").with("field", "body");
        }
        return switch (kind) {
            case JSON -> json(body, config.positional(topic));
            case NDJSON -> ndjson(body, config.positional(topic));
            case FORM -> List.of(event(FormFields.parse(body.bytes()), null, body, 0, 1));
            case BLOB -> List.of(Blobs.event(body));
        };
    }

    private List<PendingEvent> json(IncomingBody body, boolean positional) {
        JsonNode root = read(body.bytes(), 0);
        if (root.isObject()) {
            // the client's bytes go to Kafka unchanged: no re-serialization for the common single-event case
            return List.of(event(root, body.bytes(), body, 0, 1));
        }
        if (!root.isArray()) {
            throw ApiProblem.badRequest("a JSON body must be an object or an array of objects"
                            + (positional ? " or positional arrays" : "") + ", got " + type(root))
                    .with("field", "body");
        }
        if (root.isEmpty()) {
            throw ApiProblem.badRequest("the JSON array is empty: no events to publish")
                    .with("field", "body");
        }
        if (positional && !root.get(0).isObject()) {
            return positional(root, body);
        }
        var events = new ArrayList<PendingEvent>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode element = root.get(i);
            if (!element.isObject()) {
                throw ApiProblem.badRequest("element [" + i + "] is " + type(element) + ", not a JSON object"
                                + (positional ? " like element [0]" : POSITIONAL_HINT))
                        .with("field", "/" + i);
            }
            events.add(event(element, null, body, i, root.size()));
        }
        return events;
    }

    /**
     * A positional topic's array that does not start with an object: one event when its first element is a scalar
     * (the body's bytes unchanged), else one event per element, each an array of scalars.
     */
    private List<PendingEvent> positional(JsonNode root, IncomingBody body) {
        if (root.get(0).isValueNode()) {
            requireScalars(root, "", 0);
            return List.of(event(root, body.bytes(), body, 0, 1));
        }
        var events = new ArrayList<PendingEvent>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode element = root.get(i);
            if (!element.isArray()) {
                throw ApiProblem.badRequest("element [" + i + "] is " + type(element)
                                + ", not an array like element [0]: a list of positional events holds arrays only")
                        .with("field", "/" + i);
            }
            requireScalars(element, "/" + i, 0);
            events.add(event(element, null, body, i, root.size()));
        }
        return events;
    }

    /**
     * Refuses a positional event holding an object or an array. {@code pointer} is where the event sits in the body
     * ({@code ""} for the body itself), {@code line} its NDJSON line (0 for a JSON body).
     */
    private static void requireScalars(JsonNode event, String pointer, int line) {
        for (int i = 0; i < event.size(); i++) {
            if (!event.get(i).isValueNode()) {
                String field = pointer + "/" + i;
                var problem = ApiProblem.badRequest((line > 0 ? "line " + line + ": " : "") + "element "
                                + field.replaceAll("/(\\d+)", "[$1]") + " is " + type(event.get(i))
                                + ": a positional event holds only strings, numbers, booleans and nulls")
                        .with("field", field);
                throw line > 0 ? problem.with("line", line) : problem;
            }
        }
    }

    private static String type(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case NULL -> "null";
            default -> "a " + node.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }

    private List<PendingEvent> ndjson(IncomingBody body, boolean positional) {
        byte[] bytes = body.bytes();
        var lines = new ArrayList<byte[]>();
        var lineNumbers = new ArrayList<Integer>();
        int start = 0;
        int line = 1;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                byte[] chunk = Arrays.copyOfRange(bytes, start, i);
                if (!isBlank(chunk)) {
                    lines.add(trim(chunk));
                    lineNumbers.add(line);
                }
                start = i + 1;
                line++;
            }
        }
        var events = new ArrayList<PendingEvent>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            int number = lineNumbers.get(i);
            JsonNode node = read(lines.get(i), number);
            if (positional && node.isArray()) {
                requireScalars(node, "", number);
            } else if (!node.isObject()) {
                throw ApiProblem.badRequest("line " + number + " is " + type(node) + ", not a JSON object"
                                + (positional ? " or a positional array" : node.isArray() ? POSITIONAL_HINT : ""))
                        .with("line", number);
            }
            events.add(event(node, lines.get(i), body, i, lines.size()));
        }
        return events;
    }

    /**
     * One JSON event, an object or a positional array; {@code raw} are its own bytes when the client sent exactly them.
     * An array has no fields, so {@code api.id-field} and {@code api.key-field} never match it.
     */
    private PendingEvent event(JsonNode node, byte[] raw, IncomingBody body, int index, int count) {
        String id = config.idField()
                .flatMap(f -> scalar(node, f).map(v -> EventIds.checkClientId(v, "field '" + f + "'")))
                .or(() -> body.idempotencyKey()
                        .map(k -> EventIds.checkClientId(k, "Idempotency-Key"))
                        .map(k -> count == 1 ? k : k + "-" + index))
                .orElseGet(EventIds::uuidV7);
        String key = config.keyField().flatMap(f -> scalar(node, f)).orElse(id);
        byte[] value = raw != null ? raw : write(node);
        return new PendingEvent(id, key.getBytes(StandardCharsets.UTF_8), value, "application/json", Map.of());
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
