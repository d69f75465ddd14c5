package io.streamloader.core.transform;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import io.streamloader.spi.TransformFactory;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code route}: sends an event to a sibling of the sink's target: it sets header {@value Transform#ROUTE_HEADER} to a
 * value taken from {@code json-pointer} (a scalar field of the JSON value) or {@code header}, lower-cased, and the
 * built-in sinks append {@code "-" + value} to the index or collection they resolved. The value must match {@code
 * [a-z0-9_]{1,64}} after lower-casing (anything else fails, dead-lettered: a client must not name arbitrary indexes).
 * Without the field the event passes unchanged ({@code missing: pass}, default) or fails ({@code missing: fail}).
 */
final class Route implements Transform {
    static final String TYPE = "route";
    static final Pattern SUFFIX = Pattern.compile("[a-z0-9_]{1,64}");

    private final JsonPointer pointer;
    private final String header;
    private final boolean failWhenMissing;

    private Route(JsonPointer pointer, String header, boolean failWhenMissing) {
        this.pointer = pointer;
        this.header = header;
        this.failWhenMissing = failWhenMissing;
    }

    @Override
    public Event apply(Event event) {
        Optional<String> raw = pointer != null
                ? field(event)
                : Optional.ofNullable(event.headers().get(header));
        if (raw.isEmpty()) {
            if (failWhenMissing) {
                throw new IllegalArgumentException(
                        "no route: " + (pointer != null ? "field " + pointer : "header " + header) + " is missing");
            }
            return event;
        }
        String suffix = raw.get().strip().toLowerCase(Locale.ROOT);
        if (!SUFFIX.matcher(suffix).matches()) {
            String shown = suffix.length() > 64 ? suffix.substring(0, 64) + "..." : suffix;
            throw new IllegalArgumentException("route '" + shown + "' must match [a-z0-9_]{1,64}");
        }
        if (suffix.equals(event.headers().get(ROUTE_HEADER))) {
            return event;
        }
        Map<String, String> headers = new LinkedHashMap<>(event.headers());
        headers.put(ROUTE_HEADER, suffix);
        return event.toBuilder()
                .headers(headers)
                .build(); // key and value are shared, not copied: only a header changes
    }

    private Optional<String> field(Event event) {
        if (!event.isJson() || event.valueSize() == 0) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JsonValues.JSON.readTree(new ByteBufferBackedInputStream(event.value()));
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new IllegalArgumentException("value is not valid JSON: " + JsonValues.firstLine(e.getMessage()));
        }
        JsonNode node = root == null ? null : root.at(pointer);
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (node.isContainerNode()) {
            throw new IllegalArgumentException(
                    "route field " + pointer + " is " + node.getNodeType() + ", not a scalar");
        }
        return Optional.of(node.asText());
    }

    static final class Factory implements TransformFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Transform create(Map<String, String> config) {
            StepConfig c = new StepConfig(config);
            Optional<String> pointerText = c.optional("json-pointer");
            Optional<String> header = c.optional("header");
            boolean fail = c.oneOf("missing", "pass", "fail").equals("fail");
            JsonPointer pointer = null;
            if (pointerText.isPresent() == header.isPresent()) {
                c.problem("json-pointer", "set exactly one of json-pointer (a field of the JSON value) and header");
            } else if (pointerText.isPresent()) {
                try {
                    pointer = JsonValues.pointer(pointerText.get());
                } catch (IllegalArgumentException e) {
                    c.problem("json-pointer", "is not a JSON pointer (such as /type): " + e.getMessage());
                }
            } else if (header.get().isBlank()) {
                c.problem("header", "must name a header");
            }
            c.finish();
            return new Route(pointer, header.orElse(null), fail);
        }
    }
}
