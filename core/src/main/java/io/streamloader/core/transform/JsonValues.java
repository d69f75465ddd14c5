package io.streamloader.core.transform;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import io.streamloader.spi.Event;
import java.io.IOException;
import java.util.Map;

/** Reading and rewriting events' JSON values for the built-in field transforms. */
final class JsonValues {

    /** Bounded like the pipeline's filter: nesting and string length cannot exhaust the worker. */
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(500)
                            .maxStringLength(16 << 20)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonValues() {}

    /**
     * The value as a JSON object to modify; reads the bytes strictly (ill-formed UTF-8 is refused).
     *
     * @throws IllegalArgumentException when the value is not one JSON object
     */
    static ObjectNode object(Event event) {
        JsonNode root;
        try {
            root = JSON.readTree(new ByteBufferBackedInputStream(event.value()));
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new IllegalArgumentException("value is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    "value is not a JSON object (was " + (root == null ? "empty" : root.getNodeType()) + ")");
        }
        return (ObjectNode) root;
    }

    /** A field name or a JSON pointer ({@code /a/b}) as a pointer; {@code IllegalArgumentException} if invalid. */
    static JsonPointer pointer(String field) {
        JsonPointer p = field.startsWith("/")
                ? JsonPointer.compile(field)
                : JsonPointer.compile("/" + field.replace("~", "~0").replace("/", "~1"));
        if (p.matches()) {
            throw new IllegalArgumentException("must name a field, not the whole value");
        }
        return p;
    }

    /** The object holding the field {@code pointer} names, or null when it does not exist or is not an object. */
    static ObjectNode parent(ObjectNode root, JsonPointer pointer) {
        JsonNode parent = root.at(pointer.head());
        return parent instanceof ObjectNode o ? o : null;
    }

    static String name(JsonPointer pointer) {
        return pointer.last().getMatchingProperty();
    }

    /** A copy of {@code event} with the JSON {@code root} as its value. */
    static Event withValue(Event event, JsonNode root) {
        byte[] value;
        try {
            value = JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the JSON value: " + e.getMessage(), e);
        }
        return with(event, value, event.headers(), event.contentType());
    }

    /** A copy of {@code event} with another value, headers and content type; id and coordinates kept. */
    static Event with(Event event, byte[] value, Map<String, String> headers, String contentType) {
        return event.toBuilder()
                .value(value)
                .headers(headers)
                .contentType(contentType)
                .build();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
