package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamloader.core.config.ConfigLoader;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi.json} of realistic configurations, validated by swagger-parser (the OpenAPI 3.1 reference parser):
 * zero messages, a schema for every body and parameter, and the security scheme required exactly when keys exist.
 */
class OpenApiTest {

    private static final String TOPICS = """
            topics:
              events: {}
              somedata: {}
              footdata: {}
              clickstream: {}
              images: {}
              fleet: {}
            sinks:
              search: {type: elasticsearch, topics: [events, clickstream]}
              docs: {type: mongo, topics: [somedata, footdata]}
              images: {type: postgres-minio, topics: [images]}
              fleet: {type: postgres-minio, topics: [fleet]}
            """;

    private static final String API = """
            api:
              max-body-bytes: 10MiB
              positional-topics: [clickstream]
              routes:
                /somedata: somedata
                /footdata: footdata
                /events: events
                /v1/telemetry: fleet
              topic-blob-content-types:
                images: [image/png, image/jpeg]
              blob-content-types: []
            """;

    private static final String KEYS = """
              host: 0.0.0.0
              keys:
                ingest:
                  key: k-123456789-abcdef
                  topics: [clickstream, images]
                  pin: { customer_id: acme }
            """;

    @Test
    void theDocumentOfARealisticConfigValidatesWithoutMessages() {
        var doc = document(TOPICS + API);

        assertThat(validate(doc)).isEmpty();
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(names(doc.get("paths")))
                .containsExactlyInAnyOrder(
                        "/topics/{topic}",
                        "/somedata",
                        "/footdata",
                        "/events",
                        "/v1/telemetry",
                        "/somedata/{value}",
                        "/health/live",
                        "/health/ready",
                        "/metrics",
                        "/openapi.json");
        assertThat(texts(doc.at("/paths/~1topics~1{topic}/post/parameters/0/schema/enum")))
                .containsExactlyInAnyOrder("clickstream", "events", "fleet", "footdata", "images", "somedata");
        assertThat(doc.at("/paths/~1v1~1telemetry/post/summary").asText()).contains("'fleet'");
    }

    @Test
    void everyBodyAndParameterHasASchema() {
        var doc = document(TOPICS + API);
        var missing = new ArrayList<String>();
        doc.get("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(op -> {
                    String where = op.getKey() + " " + path.getKey();
                    op.getValue().path("parameters").forEach(p -> {
                        if (!p.has("schema")) {
                            missing.add(where + " parameter " + p.get("name"));
                        }
                    });
                    op.getValue().at("/requestBody/content").properties().forEach(m -> {
                        if (!m.getValue().has("schema")) {
                            missing.add(where + " request " + m.getKey());
                        }
                    });
                    op.getValue().get("responses").properties().forEach(r -> {
                        JsonNode response = r.getValue().has("$ref") ? resolve(doc, r.getValue()) : r.getValue();
                        if (!response.has("content")) {
                            missing.add(where + " response " + r.getKey() + " has no content");
                        }
                        response.path("content").properties().forEach(m -> {
                            if (!m.getValue().has("schema")) {
                                missing.add(where + " response " + r.getKey() + " " + m.getKey());
                            }
                        });
                    });
                }));
        assertThat(missing).isEmpty();
        // the body kinds each route takes, and what it answers
        var byTopic = doc.at("/paths/~1topics~1{topic}/post");
        assertThat(names(byTopic.at("/requestBody/content")))
                .containsExactlyInAnyOrder(
                        "application/json",
                        "application/x-ndjson",
                        "application/x-www-form-urlencoded",
                        "image/png",
                        "image/jpeg");
        assertThat(names(doc.at("/paths/~1events/post/requestBody/content")))
                .containsExactlyInAnyOrder(
                        "application/json", "application/x-ndjson", "application/x-www-form-urlencoded");
        assertThat(doc.at("/paths/~1events/post/requestBody/content/application~1json/schema/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/Events");
        assertThat(byTopic.at("/requestBody/content/application~1json/schema/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/PositionalEvents");
        assertThat(byTopic.at("/responses/200/content/application~1json/schema/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/Deliveries");
        assertThat(byTopic.at("/responses/422/$ref").asText()).isEqualTo("#/components/responses/Problem422");
        assertThat(doc.at("/components/responses/Problem422/content/application~1problem+json/schema/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(doc.at("/components/responses/Problem503/headers/Retry-After/schema/type")
                        .asText())
                .isEqualTo("integer");
        assertThat(texts(doc.at("/components/schemas/Delivery/required")))
                .containsExactly("id", "topic", "partition", "offset");
        assertThat(doc.at("/paths/~1somedata~1{value}/get/responses/200/content/application~1json/schema/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/SomedataReply");
        assertThat(doc.at("/paths/~1events/get/responses/200/content/application~1json/schema/$ref")
                        .asText())
                .isEqualTo("#/components/schemas/Counters");
    }

    @Test
    void withKeysEveryOperationButHealthRequiresOne() {
        var doc = document(TOPICS + API + KEYS);

        assertThat(validate(doc)).isEmpty();
        assertThat(names(doc.at("/components/securitySchemes"))).containsExactlyInAnyOrder("apiKey", "bearer");
        assertThat(doc.at("/components/securitySchemes/apiKey/name").asText()).isEqualTo("X-API-Key");
        assertThat(doc.get("security")).hasSize(2);
        assertThat(doc.at("/security/0/apiKey").isArray()).isTrue();
        assertThat(doc.at("/security/1/bearer").isArray()).isTrue();
        for (String open : List.of("/health/live", "/health/ready")) {
            var security = doc.get("paths").get(open).get("get").get("security");
            assertThat(security).as(open).isNotNull().isEmpty();
        }
        for (String guarded : List.of("/metrics", "/openapi.json", "/events")) {
            var get = doc.get("paths").get(guarded).get("get");
            assertThat(get.has("security")).as(guarded).isFalse(); // inherits the document's requirement
            assertThat(get.at("/responses/401/$ref").asText()).as(guarded).endsWith("Problem401");
        }
        assertThat(names(doc.at("/paths/~1topics~1{topic}/post/responses"))).contains("401", "403");
    }

    @Test
    void withoutKeysNothingIsRequiredOrDeclared() {
        var doc = document(TOPICS + API);

        assertThat(doc.has("security")).isFalse();
        assertThat(doc.at("/components/securitySchemes").isMissingNode()).isTrue();
        doc.get("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(op -> {
                    assertThat(op.getValue().has("security")).isFalse();
                    assertThat(names(op.getValue().get("responses"))).doesNotContain("401", "403");
                }));
    }

    @Test
    void withoutTheDemoRoutesOnlyTheTopicRouteIsDescribed() {
        var doc = document(TOPICS + "api:\n  routes: {}\n");

        assertThat(validate(doc)).isEmpty();
        assertThat(names(doc.get("paths")))
                .containsExactlyInAnyOrder(
                        "/topics/{topic}", "/health/live", "/health/ready", "/metrics", "/openapi.json");
        // the default blob allow-list applies to every topic
        assertThat(names(doc.at("/paths/~1topics~1{topic}/post/requestBody/content")))
                .contains("image/png", "image/avif");
        var metadata = new ArrayList<JsonNode>();
        doc.at("/paths/~1topics~1{topic}/post/parameters").forEach(p -> {
            if (p.get("name").asText().equals("metadata")) {
                metadata.add(p);
            }
        });
        assertThat(metadata)
                .singleElement()
                .satisfies(p -> assertThat(p.at("/schema/type").asText()).isEqualTo("object"));
    }

    /** The messages of swagger-parser's structural validation of the document as served. */
    private static List<String> validate(JsonNode doc) {
        var options = new ParseOptions();
        options.setResolve(true);
        var result = new OpenAPIV3Parser().readContents(doc.toString(), null, options);
        assertThat(result.getOpenAPI()).as("parsed").isNotNull();
        assertThat(result.getOpenAPI().getSpecVersion().name()).isEqualTo("V31");
        return result.getMessages() == null ? List.of() : result.getMessages();
    }

    private static JsonNode document(String yaml) {
        var config = ApiConfig.from(ConfigLoader.parse(yaml, Map.of()));
        try {
            return BodyParser.MAPPER.readTree(new String(OpenApi.document(config), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode resolve(JsonNode doc, JsonNode ref) {
        return doc.at(ref.get("$ref").asText().substring(1));
    }

    private static List<String> names(JsonNode object) {
        var names = new ArrayList<String>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        var texts = new ArrayList<String>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
