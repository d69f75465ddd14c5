package io.streamloader.core.transform;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import io.streamloader.spi.TransformFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code insert-field}: sets {@code field} (a name or a JSON pointer whose parent object exists) of a JSON object value
 * to {@code value}: {@code event-time} or {@code ingest-time} (as {@code format}: {@code epoch-seconds}, {@code
 * epoch-millis} or {@code iso}), {@code topic}, {@code partition}, {@code offset}, {@code key}, {@code id}, or {@code
 * constant} (the text of {@code constant}). With {@code overwrite: false} a field already there is kept. Events whose
 * content type is not JSON pass unchanged; a JSON one whose value is not an object fails (dead-lettered).
 */
final class InsertField implements Transform {
    static final String TYPE = "insert-field";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonPointer field;
    private final Function<Event, ValueNode> value;
    private final boolean overwrite;

    private InsertField(JsonPointer field, Function<Event, ValueNode> value, boolean overwrite) {
        this.field = field;
        this.value = value;
        this.overwrite = overwrite;
    }

    @Override
    public Event apply(Event event) {
        if (!event.isJson()) {
            return event;
        }
        ObjectNode root = JsonValues.object(event);
        ObjectNode parent = JsonValues.parent(root, field);
        if (parent == null) {
            throw new IllegalArgumentException("no object at " + field.head() + " to insert " + field + " into");
        }
        String name = JsonValues.name(field);
        if (!overwrite && parent.has(name)) {
            return event;
        }
        parent.set(name, value.apply(event));
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
            String fieldText = c.required("field", "the field to set, a name or a JSON pointer such as /meta/ts");
            String source = c.oneOf(
                    "value", "event-time", "ingest-time", "topic", "partition", "offset", "key", "id", "constant");
            String format = c.oneOf("format", "epoch-seconds", "epoch-millis", "iso");
            String constant = c.string("constant", "");
            boolean overwrite = c.bool("overwrite", true);
            if (c.has("constant") && !source.equals("constant")) {
                c.problem("constant", "is only used with value: constant");
            }
            if (source.equals("constant") && !c.has("constant")) {
                c.problem("constant", "is required with value: constant");
            }
            if (c.has("format") && !source.endsWith("-time")) {
                c.problem("format", "is only used with value: event-time or ingest-time");
            }
            JsonPointer field = null;
            if (!fieldText.isBlank()) {
                try {
                    field = JsonValues.pointer(fieldText);
                } catch (IllegalArgumentException e) {
                    c.problem("field", "is not a field name or JSON pointer: " + e.getMessage());
                }
            }
            c.finish();
            Function<Event, ValueNode> value = switch (source) {
                case "event-time" -> e -> time(e.timestamp(), format);
                case "ingest-time" -> e -> time(Instant.now(), format);
                case "topic" -> e -> NODES.textNode(e.topic());
                case "partition" -> e -> NODES.numberNode(e.partition());
                case "offset" -> e -> NODES.numberNode(e.offset());
                case "key" -> e -> NODES.textNode(new String(e.keyBytes(), StandardCharsets.UTF_8));
                case "id" -> e -> NODES.textNode(e.id());
                default -> e -> NODES.textNode(constant);
            };
            return new InsertField(field, value, overwrite);
        }

        private static ValueNode time(Instant t, String format) {
            return switch (format) {
                case "epoch-millis" -> NODES.numberNode(t.toEpochMilli());
                case "iso" -> NODES.textNode(t.toString());
                default -> NODES.numberNode(t.getEpochSecond());
            };
        }
    }
}
