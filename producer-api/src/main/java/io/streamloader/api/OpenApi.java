package io.streamloader.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** The OpenAPI 3.1 description of the routes a given configuration serves. */
final class OpenApi {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private OpenApi() {}

    static byte[] document(ApiConfig config) {
        ObjectNode doc = F.objectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info")
                .put("title", "streamloader producer-api")
                .put("version", "1")
                .put(
                        "description",
                        "Validates events and writes them to Kafka (acks=all). A 200 lists every event's Kafka"
                                + " position; every error is application/problem+json.");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode topicParam = F.objectNode()
                .put("name", "topic")
                .put("in", "path")
                .put("required", true)
                .set("schema", F.objectNode().put("type", "string").set("enum", strings(config.allTopics())));
        Optional<String> anyPositional = config.positionalTopics().isEmpty()
                ? Optional.empty()
                : Optional.of("for " + String.join(", ", config.positionalTopics()) + " (api.positional-topics) ");
        ObjectNode byTopic = ingest("Publish to any configured topic", config, anyPositional);
        byTopic.withArrayProperty("parameters").add(topicParam);
        paths.putObject("/topics/{topic}").set("post", byTopic);
        config.routes().forEach((path, topic) -> {
            ObjectNode item = paths.putObject(path);
            Optional<String> positional = config.positional(topic) ? Optional.of("") : Optional.empty();
            item.set("post", ingest("Publish to topic '" + topic + "'", config, positional));
        });
        if (config.routes().containsKey("/somedata")) {
            ObjectNode get = op("Compatibility: publish {\"0\":value,...,\"N-1\":value} to topic '"
                    + config.routes().get("/somedata") + "'");
            get.withArrayProperty("parameters")
                    .add(F.objectNode().put("name", "value").put("in", "path").put("required", true))
                    .add(F.objectNode()
                            .put("name", "number")
                            .put("in", "query")
                            .set(
                                    "schema",
                                    F.objectNode()
                                            .put("type", "integer")
                                            .put("minimum", 1)
                                            .put("default", 1)));
            responses(get, "200", "the published object and its delivery report");
            paths.putObject("/somedata/{value}").set("get", get);
        }
        if (config.routes().containsKey("/events")) {
            ObjectNode get = op("Events accepted per topic since start (HTML when the client accepts text/html)");
            responses(get, "200", "counters");
            ((ObjectNode) paths.get("/events")).set("get", get);
        }
        paths.putObject("/health/live").set("get", responses(op("Liveness"), "200", "the process is up"));
        paths.putObject("/health/ready")
                .set(
                        "get",
                        responses(
                                responses(op("Readiness: Kafka reachable and topics exist"), "200", "ready"),
                                "503",
                                "not ready"));
        paths.putObject("/metrics").set("get", responses(op("Prometheus metrics"), "200", "text exposition"));
        paths.putObject("/openapi.json").set("get", responses(op("This document"), "200", "OpenAPI 3.1"));
        if (config.authenticationEnabled()) {
            doc.putObject("components")
                    .putObject("securitySchemes")
                    .putObject("apiKey")
                    .put("type", "apiKey")
                    .put("in", "header")
                    .put("name", "X-API-Key");
        }
        return BodyParser.write(doc);
    }

    /**
     * A POST route. {@code positional} is present when the route reaches a topic of {@code api.positional-topics}; it
     * names those topics, or is empty for a route to one topic.
     */
    private static ObjectNode ingest(String summary, ApiConfig config, Optional<String> positional) {
        ObjectNode op = op(summary);
        op.withArrayProperty("parameters")
                .add(F.objectNode()
                        .put("name", "Idempotency-Key")
                        .put("in", "header")
                        .put("description", "event id (suffixed -<index> for several events)"));
        ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
        String json = "an object (one event) or an array of objects (one event each)";
        String ndjson = "one object per line";
        if (positional.isPresent()) {
            json += "; " + positional.get()
                    + "also a positional array of scalars such as [\"u1\",\"2023-07-01T10:00:00\"]"
                    + " (one event, stored as sent) or an array of such arrays (one event each)";
            ndjson += "; " + positional.get() + "or one positional array of scalars per line";
        }
        content.putObject("application/json").put("description", json);
        content.putObject("application/x-ndjson").put("description", ndjson);
        content.putObject("application/x-www-form-urlencoded")
                .put("description", "one event; numeric values become JSON numbers");
        // every blob type some topic accepts; which topic takes which is api.topic-blob-content-types
        var blobTypes = new java.util.TreeSet<>(config.blobContentTypes());
        config.topicBlobContentTypes().values().forEach(blobTypes::addAll);
        blobTypes.forEach(t -> content.putObject(t)
                .put(
                        "description",
                        "one blob event (its magic bytes must match the type); metadata from query parameters and"
                                + " X-Meta-* headers"));
        responses(op, "200", "[{id, topic, partition, offset}] for every event, in order");
        for (String[] r : new String[][] {
            {"400", "malformed or empty body"},
            {"401", "missing or invalid API key"},
            {"403", "topic not allowed for the key"},
            {"404", "unknown topic"},
            {"413", "body over api.max-body-bytes, events or form fields over api.limits"},
            {"415", "unsupported content type, or a blob whose bytes do not match it"},
            {"422", "JSON Schema violation"},
            {"429", "too many bytes in flight (Retry-After)"},
            {"503", "Kafka unreachable or too slow (Retry-After)"}
        }) {
            responses(op, r[0], r[1]);
        }
        return op;
    }

    private static ObjectNode op(String summary) {
        return F.objectNode().put("summary", summary);
    }

    private static ObjectNode responses(ObjectNode op, String status, String description) {
        (op.has("responses") ? (ObjectNode) op.get("responses") : op.putObject("responses"))
                .putObject(status)
                .put("description", description);
        return op;
    }

    private static ArrayNode strings(Iterable<String> values) {
        ArrayNode a = F.arrayNode();
        values.forEach(a::add);
        return a;
    }
}
