package io.streamloader.core.transform;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import io.streamloader.spi.TransformFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code drop-field}: removes {@code fields} (names or JSON pointers, a list) from a JSON object value. An event that
 * has none of them, or whose content type is not JSON, passes unchanged; a JSON one whose value is not an object fails
 * (dead-lettered).
 */
final class DropField implements Transform {
    static final String TYPE = "drop-field";

    private final List<JsonPointer> fields;

    private DropField(List<JsonPointer> fields) {
        this.fields = List.copyOf(fields);
    }

    @Override
    public Event apply(Event event) {
        if (!event.isJson()) {
            return event;
        }
        ObjectNode root = JsonValues.object(event);
        boolean changed = false;
        for (JsonPointer field : fields) {
            ObjectNode parent = JsonValues.parent(root, field);
            changed |= parent != null && parent.remove(JsonValues.name(field)) != null;
        }
        return changed ? JsonValues.withValue(event, root) : event;
    }

    static final class Factory implements TransformFactory {
        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Transform create(Map<String, String> config) {
            StepConfig c = new StepConfig(config);
            List<String> names = c.list("fields");
            if (names.isEmpty()) {
                c.problem("fields", "is required: list the fields to remove, names or JSON pointers");
            }
            List<JsonPointer> fields = new ArrayList<>();
            for (String name : names) {
                try {
                    fields.add(JsonValues.pointer(name));
                } catch (IllegalArgumentException e) {
                    c.problem("fields", "'" + name + "' is not a field name or JSON pointer: " + e.getMessage());
                }
            }
            c.finish();
            return new DropField(fields);
        }
    }
}
