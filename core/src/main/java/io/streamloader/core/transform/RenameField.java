package io.streamloader.core.transform;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import io.streamloader.spi.TransformFactory;
import java.util.Map;

/**
 * {@code rename-field}: moves {@code from} to {@code to} (names or JSON pointers) in a JSON object value, replacing a
 * field already at {@code to}. An event without {@code from}, or whose content type is not JSON, passes unchanged; a
 * JSON one whose value is not an object, or without an object to hold {@code to}, fails (dead-lettered).
 */
final class RenameField implements Transform {
    static final String TYPE = "rename-field";

    private final JsonPointer from;
    private final JsonPointer to;

    private RenameField(JsonPointer from, JsonPointer to) {
        this.from = from;
        this.to = to;
    }

    @Override
    public Event apply(Event event) {
        if (!event.isJson()) {
            return event;
        }
        ObjectNode root = JsonValues.object(event);
        ObjectNode source = JsonValues.parent(root, from);
        String fromName = JsonValues.name(from);
        if (source == null || !source.has(fromName)) {
            return event;
        }
        ObjectNode target = JsonValues.parent(root, to);
        if (target == null) {
            throw new IllegalArgumentException("no object at " + to.head() + " to move " + from + " into");
        }
        JsonNode value = source.remove(fromName);
        target.set(JsonValues.name(to), value);
        return JsonValues.withValue(event, root);
    }

    static final class Factory implements TransformFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Transform create(Map<String, String> config) {
            StepConfig c = new StepConfig(config);
            JsonPointer from = pointer(c, "from", "the field to rename, a name or a JSON pointer");
            JsonPointer to = pointer(c, "to", "its new name, a name or a JSON pointer");
            if (from != null && to != null && from.toString().equals(to.toString())) {
                c.problem("to", "is the same field as from");
            }
            c.finish();
            return new RenameField(from, to);
        }
    }

    static JsonPointer pointer(StepConfig c, String key, String hint) {
        String text = c.required(key, hint);
        if (text.isBlank()) {
            return null;
        }
        try {
            return JsonValues.pointer(text);
        } catch (IllegalArgumentException e) {
            c.problem(key, "is not a field name or JSON pointer: " + e.getMessage());
            return null;
        }
    }
}
