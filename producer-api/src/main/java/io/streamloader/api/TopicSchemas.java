package io.streamloader.api;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema of each topic that has one, loaded from files once at start (draft 2020-12 unless the file's
 * {@code $schema} says otherwise). Validation failures are 422 problems listing each violation's JSON pointer.
 */
final class TopicSchemas {

    private static final int MAX_REPORTED = 20;

    private final Map<String, Schema> schemas;

    private TopicSchemas(Map<String, Schema> schemas) {
        this.schemas = Map.copyOf(schemas);
    }

    static TopicSchemas load(Map<String, Path> files) {
        var registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        var schemas = new HashMap<String, Schema>();
        files.forEach((topic, file) -> {
            try (InputStream in = Files.newInputStream(file)) {
                Schema schema = registry.getSchema(in);
                schema.initializeValidators();
                schemas.put(topic, schema);
            } catch (IOException e) {
                throw new UncheckedIOException("api.schemas." + topic + ": cannot read " + file, e);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "api.schemas." + topic + ": " + file + " is not a valid JSON Schema: " + e.getMessage(), e);
            }
        });
        return new TopicSchemas(schemas);
    }

    static TopicSchemas none() {
        return new TopicSchemas(Map.of());
    }

    /** Checks JSON events against the topic's schema, if it has one; blobs are not checked. */
    void validate(String topic, List<PendingEvent> events) {
        Schema schema = schemas.get(topic);
        if (schema == null) {
            return;
        }
        var violations = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < events.size() && violations.size() < MAX_REPORTED; i++) {
            PendingEvent event = events.get(i);
            if (!event.contentType().equals("application/json")) {
                continue;
            }
            var errors = schema.validate(new String(event.value(), StandardCharsets.UTF_8), InputFormat.JSON);
            for (var error : errors) {
                if (violations.size() >= MAX_REPORTED) {
                    break;
                }
                var v = new LinkedHashMap<String, Object>();
                v.put("index", i);
                v.put("pointer", error.getInstanceLocation().toString());
                v.put("keyword", error.getKeyword());
                v.put("message", error.getMessage());
                violations.add(v);
            }
        }
        if (!violations.isEmpty()) {
            var first = violations.get(0);
            throw ApiProblem.of(
                            422,
                            "Unprocessable Content",
                            "event [" + first.get("index") + "] violates the schema of topic '" + topic + "' at "
                                    + first.get("pointer") + ": " + first.get("message"))
                    .with("field", first.get("pointer"))
                    .with("violations", violations);
        }
    }
}
