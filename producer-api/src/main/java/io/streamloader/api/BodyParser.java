package io.streamloader.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a request body into the events it holds, one parser per {@link BodyKind}. Pure: no I/O, no Kafka. Every
 * refusal is an {@link ApiProblem} naming the line, column, element or field at fault.
 */
final class BodyParser {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final ApiConfig config;

    BodyParser(ApiConfig config) {
        this.config = config;
    }

    List<PendingEvent> parse(IncomingBody body) {
        BodyKind kind = BodyKind.of(body.contentType(), config.blobContentTypes());
        if (isBlank(body.bytes())) {
            throw ApiProblem.badRequest("request body is empty").with("field", "body");
        }
        return switch (kind) {
            case JSON -> json(body);
            case NDJSON -> ndjson(body);
            case FORM -> List.of(event(FormFields.parse(body.bytes()), null, body, 0, 1));
            case BLOB -> List.of(Blobs.event(body));
        };
    }

    private List<PendingEvent> json(IncomingBody body) {
        JsonNode root = read(body.bytes(), 0);
        if (root.isObject()) {
            // the client's bytes go to Kafka unchanged: no re-serialization for the common single-event case
            return List.of(event((ObjectNode) root, body.bytes(), body, 0, 1));
        }
        if (!root.isArray()) {
            throw ApiProblem.badRequest("a JSON body must be an object or an array of objects, got "
                            + root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT))
                    .with("field", "body");
        }
        if (root.isEmpty()) {
            throw ApiProblem.badRequest("the JSON array is empty: no events to publish")
                    .with("field", "body");
        }
        var events = new ArrayList<PendingEvent>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode element = root.get(i);
            if (!element.isObject()) {
                throw ApiProblem.badRequest("element [" + i + "] is not a JSON object")
                        .with("field", "/" + i);
            }
            events.add(event((ObjectNode) element, null, body, i, root.size()));
        }
        return events;
    }

    private List<PendingEvent> ndjson(IncomingBody body) {
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
            JsonNode node = read(lines.get(i), lineNumbers.get(i));
            if (!node.isObject()) {
                throw ApiProblem.badRequest("line " + lineNumbers.get(i) + " is not a JSON object")
                        .with("line", lineNumbers.get(i));
            }
            events.add(event((ObjectNode) node, lines.get(i), body, i, lines.size()));
        }
        return events;
    }

    /** One JSON event; {@code raw} are the object's own bytes when the client sent exactly them. */
    private PendingEvent event(ObjectNode object, byte[] raw, IncomingBody body, int index, int count) {
        String id = config.idField()
                .flatMap(f -> scalar(object, f).map(v -> EventIds.checkClientId(v, "field '" + f + "'")))
                .or(() -> body.idempotencyKey()
                        .map(k -> EventIds.checkClientId(k, "Idempotency-Key"))
                        .map(k -> count == 1 ? k : k + "-" + index))
                .orElseGet(EventIds::uuidV7);
        String key = config.keyField().flatMap(f -> scalar(object, f)).orElse(id);
        byte[] value = raw != null ? raw : write(object);
        return new PendingEvent(id, key.getBytes(StandardCharsets.UTF_8), value, "application/json", Map.of());
    }

    private static Optional<String> scalar(ObjectNode object, String field) {
        JsonNode v = object.get(field);
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
