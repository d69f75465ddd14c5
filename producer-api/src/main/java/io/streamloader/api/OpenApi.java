package io.streamloader.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The OpenAPI 3.1 description of the routes a given configuration serves: every configured route and topic, a schema
 * for every request and response body (delivery reports, problem+json, counters, the generated {@code /somedata}
 * object), a schema for every parameter, and, when API keys are configured, the two ways to send one declared and
 * required on every operation that needs it ({@code /health/live} and {@code /health/ready} never do).
 */
final class OpenApi {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String RESPONSES = "#/components/responses/";

    private OpenApi() {}

    static byte[] document(ApiConfig config) {
        boolean keys = config.authenticationEnabled();
        ObjectNode doc = F.objectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info")
                .put("title", "streamloader producer-api")
                .put("version", "1")
                .put(
                        "description",
                        "Validates events and writes them to Kafka (acks=all). A 200 lists every event's Kafka"
                                + " position; every error is application/problem+json.");
        ObjectNode components = doc.putObject("components");
        schemas(components.putObject("schemas"));
        problems(components.putObject("responses"));
        ObjectNode paths = doc.putObject("paths");

        ObjectNode byTopic = ingest("publishToTopic", "Publish to any configured topic", config, config.allTopics());
        byTopic.withArrayProperty("parameters")
                .insert(
                        0,
                        param("topic", "path", true, "one of the configured topics")
                                .set("schema", string().set("enum", strings(config.allTopics()))));
        paths.putObject("/topics/{topic}").set("post", byTopic);
        new java.util.TreeMap<>(config.routes())
                .forEach((path, topic) -> paths.putObject(path)
                        .set(
                                "post",
                                ingest(
                                        operationId("publish", path),
                                        "Publish to topic '" + topic + "'",
                                        config,
                                        List.of(topic))));
        if (config.routes().containsKey("/somedata")) {
            paths.putObject("/somedata/{value}")
                    .set("get", somedata(config.routes().get("/somedata"), keys));
        }
        if (config.routes().containsKey("/events")) {
            ObjectNode get = op("eventCounters", "Events accepted per topic since start");
            ObjectNode content = ok(get, "the counters: JSON, or an HTML page when the client accepts text/html");
            content.putObject("application/json").set("schema", ref("Counters"));
            content.putObject("text/html").set("schema", string());
            if (keys) {
                problem(get, "401");
            }
            ((ObjectNode) paths.get("/events")).set("get", get);
        }
        ObjectNode live = op("liveness", "Liveness: the process answers");
        ok(live, "the process is up").putObject("application/json").set("schema", ref("Health"));
        paths.putObject("/health/live").set("get", open(live, keys));
        ObjectNode ready = op("readiness", "Readiness: Kafka reachable and every topic exists (cached probe)");
        ok(ready, "ready").putObject("application/json").set("schema", ref("Health"));
        problem(ready, "503");
        paths.putObject("/health/ready").set("get", open(ready, keys));
        ObjectNode metrics = op("metrics", "Prometheus metrics");
        ok(metrics, "the text exposition format").putObject("text/plain").set("schema", string());
        problem(metrics, "404");
        paths.putObject("/metrics").set("get", metrics);
        ObjectNode self = op("openApi", "This document");
        ok(self, "OpenAPI 3.1")
                .putObject("application/json")
                .set("schema", F.objectNode().put("type", "object"));
        paths.putObject("/openapi.json").set("get", self);
        if (keys) {
            for (String status : List.of("/metrics", "/openapi.json")) {
                problem((ObjectNode) paths.get(status).get("get"), "401");
            }
            ObjectNode schemes = components.putObject("securitySchemes");
            schemes.putObject("apiKey")
                    .put("type", "apiKey")
                    .put("in", "header")
                    .put("name", "X-API-Key")
                    .put("description", "an API key of api.keys");
            schemes.putObject("bearer")
                    .put("type", "http")
                    .put("scheme", "bearer")
                    .put("description", "the same key as Authorization: Bearer <key>");
            doc.withArrayProperty("security")
                    .add(F.objectNode().set("apiKey", F.arrayNode()))
                    .add(F.objectNode().set("bearer", F.arrayNode()));
        }
        return BodyParser.write(doc);
    }

    /** A POST route to {@code topics}: every body kind one of them takes, every refusal it can meet. */
    private static ObjectNode ingest(String id, String summary, ApiConfig config, Collection<String> topics) {
        ObjectNode op = op(id, summary);
        op.withArrayProperty("parameters")
                .add(param("Idempotency-Key", "header", false, "event id (suffixed -<index> for several events)")
                        .set("schema", string().put("minLength", 1)));
        boolean positional = topics.stream().anyMatch(config::positional);
        var blobTypes = new TreeSet<String>();
        topics.forEach(t -> blobTypes.addAll(config.blobContentTypes(t)));
        ObjectNode content = op.putObject("requestBody").put("required", true).putObject("content");
        ObjectNode json = ref(positional ? "PositionalEvents" : "Events");
        if (positional && topics.size() > 1) {
            json.put(
                    "description",
                    "positional arrays only for "
                            + String.join(
                                    ", ",
                                    topics.stream().filter(config::positional).toList())
                            + " (api.positional-topics); other topics take objects");
        }
        content.putObject("application/json").set("schema", json);
        content.putObject("application/x-ndjson")
                .set(
                        "schema",
                        string().put(
                                        "description",
                                        positional
                                                ? "one JSON object, or one positional array of scalars, per line"
                                                : "one JSON object per line"));
        content.putObject("application/x-www-form-urlencoded").set("schema", ref("Form"));
        for (String type : blobTypes) {
            content.putObject(type)
                    .set(
                            "schema",
                            string().put("format", "binary")
                                    .put(
                                            "description",
                                            "one blob event; its magic bytes must match the type; metadata from the"
                                                    + " query parameters and X-Meta-* headers"));
        }
        if (!blobTypes.isEmpty()) {
            op.withArrayProperty("parameters")
                    .add(param("metadata", "query", false, "blob events: metadata variables such as customer_id")
                            .put("style", "form")
                            .put("explode", true)
                            .set("schema", F.objectNode().put("type", "object").set("additionalProperties", string())));
        }
        ok(op, "one delivery report per event, in order")
                .putObject("application/json")
                .set("schema", ref("Deliveries"));
        for (String status : List.of("400", "404", "413", "415", "422", "429", "503")) {
            problem(op, status);
        }
        if (config.authenticationEnabled()) {
            problem(op, "401");
            problem(op, "403");
        }
        return op;
    }

    /** Seed 002's {@code GET /somedata/{value}?number=N}: the body is generated from the parameters. */
    private static ObjectNode somedata(String topic, boolean keys) {
        ObjectNode get =
                op("somedata", "Compatibility: publish {\"0\":value,...,\"N-1\":value} to topic '" + topic + "'");
        get.withArrayProperty("parameters")
                .add(param("value", "path", true, "the value repeated under every key")
                        .set("schema", string()))
                .add(param("number", "query", false, "how many keys")
                        .set(
                                "schema",
                                F.objectNode()
                                        .put("type", "integer")
                                        .put("minimum", 1)
                                        .put("maximum", 10_000)
                                        .put("default", 1)))
                .add(param("Idempotency-Key", "header", false, "event id").set("schema", string().put("minLength", 1)));
        ok(get, "the published object and its delivery report")
                .putObject("application/json")
                .set("schema", ref("SomedataReply"));
        for (String status : List.of("400", "404", "413", "422", "429", "503")) {
            problem(get, status);
        }
        if (keys) {
            problem(get, "401");
            problem(get, "403");
        }
        return get;
    }

    private static void schemas(ObjectNode s) {
        ObjectNode delivery = object(s.putObject("Delivery"), "where Kafka stored one event");
        delivery.putObject("properties")
                .<ObjectNode>set("id", string().put("description", "the event id (Idempotency-Key or a UUIDv7)"))
                .<ObjectNode>set("topic", string())
                .<ObjectNode>set(
                        "partition", F.objectNode().put("type", "integer").put("minimum", 0))
                .set("offset", F.objectNode().put("type", "integer").put("minimum", 0));
        delivery.set("required", strings(List.of("id", "topic", "partition", "offset")));
        delivery.put("additionalProperties", false);
        s.putObject("Deliveries").put("type", "array").set("items", ref("Delivery"));

        ObjectNode problem =
                object(s.putObject("Problem"), "RFC 9457 problem details; more members may name the cause");
        problem.putObject("properties")
                .<ObjectNode>set("type", string().put("format", "uri-reference"))
                .<ObjectNode>set("title", string())
                .<ObjectNode>set(
                        "status",
                        F.objectNode()
                                .put("type", "integer")
                                .put("minimum", 400)
                                .put("maximum", 599))
                .<ObjectNode>set("detail", string())
                .<ObjectNode>set("instance", string())
                .<ObjectNode>set("field", string().put("description", "the request part at fault"))
                .<ObjectNode>set(
                        "limit", F.objectNode().put("type", "integer").put("description", "the limit exceeded"))
                .set("problems", F.objectNode().put("type", "array").set("items", string()));
        problem.set("required", strings(List.of("type", "title", "status")));

        object(s.putObject("Event"), "one event: any JSON object");
        s.putObject("Events").set("oneOf", F.arrayNode().add(ref("Event")).add(array(ref("Event"))));
        ObjectNode scalar = F.objectNode().set("type", strings(List.of("string", "number", "boolean", "null")));
        s.putObject("PositionalEvents")
                .put(
                        "description",
                        "for api.positional-topics also an array of scalars (one event, stored as sent)"
                                + " or an array of such arrays (one event each)")
                .set(
                        "oneOf",
                        F.arrayNode()
                                .add(ref("Event"))
                                .add(array(ref("Event")))
                                .add(array(scalar).put("minItems", 1))
                                .add(array(array(scalar))));
        object(s.putObject("Form"), "one event; numeric values become JSON numbers")
                .set("additionalProperties", string());

        ObjectNode counters = object(s.putObject("Counters"), "events accepted since start");
        counters.putObject("properties")
                .<ObjectNode>set("total", F.objectNode().put("type", "integer").put("minimum", 0))
                .set(
                        "topics",
                        F.objectNode()
                                .put("type", "object")
                                .set("additionalProperties", F.objectNode().put("type", "integer")));
        counters.set("required", strings(List.of("total", "topics")));
        ObjectNode somedata = object(s.putObject("SomedataReply"), "the generated object and where it was stored");
        somedata.putObject("properties")
                .<ObjectNode>set("data", F.objectNode().put("type", "object").set("additionalProperties", string()))
                .set("delivery", ref("Delivery"));
        somedata.set("required", strings(List.of("data", "delivery")));
        ObjectNode health = object(s.putObject("Health"), "the process's state");
        health.putObject("properties").set("status", string().set("enum", strings(List.of("UP"))));
        health.set("required", strings(List.of("status")));
    }

    private static void problems(ObjectNode responses) {
        for (var e : Map.ofEntries(
                        Map.entry("400", "malformed or empty body, or a bad parameter (field names it)"),
                        Map.entry("401", "missing or invalid API key (WWW-Authenticate: Bearer)"),
                        Map.entry("403", "topic or pinned metadata not allowed for the key"),
                        Map.entry("404", "unknown topic or route"),
                        Map.entry("413", "body over api.max-body-bytes, or events or form fields over api.limits"),
                        Map.entry("415", "unsupported content type, or a blob whose bytes do not match it"),
                        Map.entry("422", "JSON Schema violation (api.schemas)"),
                        Map.entry("429", "too many bytes in flight or the key's rate spent; retry after Retry-After"),
                        Map.entry("503", "Kafka unreachable or too slow; retry after Retry-After"))
                .entrySet()) {
            ObjectNode response = responses.putObject("Problem" + e.getKey()).put("description", e.getValue());
            if (e.getKey().equals("429") || e.getKey().equals("503")) {
                response.putObject("headers")
                        .putObject("Retry-After")
                        .put("description", "seconds to wait (api.retry-after)")
                        .set("schema", F.objectNode().put("type", "integer").put("minimum", 1));
            }
            response.putObject("content").putObject(PROBLEM_JSON).set("schema", ref("Problem"));
        }
    }

    private static ObjectNode op(String id, String summary) {
        return F.objectNode().put("operationId", id).put("summary", summary);
    }

    /** The 200 response's content object. */
    private static ObjectNode ok(ObjectNode op, String description) {
        return op.withObjectProperty("responses")
                .putObject("200")
                .put("description", description)
                .putObject("content");
    }

    private static void problem(ObjectNode op, String status) {
        op.withObjectProperty("responses").set(status, F.objectNode().put("$ref", RESPONSES + "Problem" + status));
    }

    /** An operation anyone may call, keys or not. */
    private static ObjectNode open(ObjectNode op, boolean keys) {
        if (keys) {
            op.set("security", F.arrayNode());
        }
        return op;
    }

    private static ObjectNode param(String name, String in, boolean required, String description) {
        return F.objectNode()
                .put("name", name)
                .put("in", in)
                .put("required", required)
                .put("description", description);
    }

    private static ObjectNode object(ObjectNode schema, String description) {
        return schema.put("type", "object").put("description", description);
    }

    private static ObjectNode array(ObjectNode items) {
        return F.objectNode().put("type", "array").set("items", items);
    }

    private static ObjectNode string() {
        return F.objectNode().put("type", "string");
    }

    private static ObjectNode ref(String schema) {
        return F.objectNode().put("$ref", SCHEMAS + schema);
    }

    /** {@code publish} + a route such as {@code /v1/events} → {@code publish_v1_events}. */
    private static String operationId(String prefix, String path) {
        return prefix + path.replaceAll("[^A-Za-z0-9]", "_");
    }

    private static ArrayNode strings(Iterable<String> values) {
        ArrayNode a = F.arrayNode();
        values.forEach(a::add);
        return a;
    }
}
