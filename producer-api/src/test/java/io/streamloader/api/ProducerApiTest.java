package io.streamloader.api;

import static io.streamloader.api.TestingApi.header;
import static io.streamloader.api.TestingApi.json;
import static io.streamloader.api.TestingApi.post;
import static io.streamloader.api.TestingApi.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.errors.NetworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerApiTest {

    @Test
    void jsonObjectIsOneEventWithItsBytesUnchangedAndIdHeaders() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            var r = post(client, "/somedata", "application/json", "{\"0\":\"van\", \"1\":\"van\"}");
            assertThat(r.code()).isEqualTo(200);
            var deliveries = json(r);
            assertThat(deliveries).hasSize(1);
            var record = api.producer.history().get(0);
            assertThat(record.topic()).isEqualTo("somedata");
            assertThat(utf8(record.value())).isEqualTo("{\"0\":\"van\", \"1\":\"van\"}");
            String id = deliveries.get(0).get("id").asText();
            assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            assertThat(header(record, "sl-event-id")).isEqualTo(id);
            assertThat(header(record, "content-type")).isEqualTo("application/json");
            assertThat(utf8(record.key())).isEqualTo(id);
            assertThat(deliveries.get(0).get("topic").asText()).isEqualTo("somedata");
            assertThat(deliveries.get(0).get("offset").asLong()).isZero();
        });
    }

    @Test
    void arrayOfMatchesIsOneEventPerMatchInOrder() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            var r = post(
                    client, "/footdata", "application/json", "[{\"id\":11,\"utcDate\":\"x\"},{\"id\":12},{\"id\":13}]");
            assertThat(r.code()).isEqualTo(200);
            var deliveries = json(r);
            assertThat(deliveries).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(deliveries.get(i).get("id").asText()).isEqualTo(Integer.toString(11 + i));
                assertThat(deliveries.get(i).get("offset").asLong()).isEqualTo(i);
                assertThat(header(api.producer.history().get(i), "sl-event-id")).isEqualTo(Integer.toString(11 + i));
            }
            assertThat(utf8(api.producer.history().get(0).value())).isEqualTo("{\"id\":11,\"utcDate\":\"x\"}");
        });
    }

    @Test
    void ndjsonIsOneEventPerLineAndIdempotencyKeyIsSuffixedPerEvent() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            var r = post(
                    client,
                    "/topics/clicks",
                    "application/x-ndjson",
                    "{\"a\":1}\n\n{\"a\":2}\r\n".getBytes(),
                    Map.of("Idempotency-Key", "req-42"));
            assertThat(r.code()).isEqualTo(200);
            assertThat(json(r).findValuesAsText("id")).containsExactly("req-42-0", "req-42-1");
            assertThat(utf8(api.producer.history().get(1).value())).isEqualTo("{\"a\":2}");
        });
    }

    @Test
    void formBodyBecomesJsonObjectWithNumbersKept() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            var r = post(
                    client,
                    "/events",
                    "application/x-www-form-urlencoded",
                    "timestamp=1664046446.939104&make=Ford&model=F-150&position_x=1.2&speed=85.6&vin=ABCDEF0123456789J");
            assertThat(r.code()).isEqualTo(200);
            assertThat(utf8(api.producer.history().get(0).value()))
                    .isEqualTo("{\"timestamp\":1664046446.939104,\"make\":\"Ford\",\"model\":\"F-150\","
                            + "\"position_x\":1.2,\"speed\":85.6,\"vin\":\"ABCDEF0123456789J\"}");
        });
    }

    @Test
    void binaryBodyIsOneBlobEventWithMetadataHeadersAndContentType() {
        var api = new TestingApi(TestingApi.config(), true);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 1, 2, (byte) 0xff};
        api.run((server, client) -> {
            var r = post(
                    client,
                    "/topics/images?customer_id=7&uuid=abc",
                    "image/png",
                    png,
                    Map.of("X-Meta-Sent-At", "1700000000.5", "Idempotency-Key", "img-1"));
            assertThat(r.code()).isEqualTo(200);
            var record = api.producer.history().get(0);
            assertThat(record.value()).isEqualTo(png);
            assertThat(header(record, "content-type")).isEqualTo("image/png");
            assertThat(header(record, "meta.customer_id")).isEqualTo("7");
            assertThat(header(record, "meta.uuid")).isEqualTo("abc");
            assertThat(header(record, "meta.sent-at")).isEqualTo("1700000000.5");
            assertThat(header(record, "sl-event-id")).isEqualTo("img-1");
        });
    }

    @Test
    void keyFieldBecomesTheKafkaKey() {
        var api = new TestingApi(TestingApi.config(Map.of("key-field", "vin")), true);
        api.run((server, client) -> {
            post(client, "/events", "application/json", "{\"vin\":\"V1\"}");
            assertThat(utf8(api.producer.history().get(0).key())).isEqualTo("V1");
        });
    }

    @Test
    void malformedJsonIs400NamingLineAndColumn() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            var r = post(client, "/somedata", "application/json", "{\n  \"a\": 1,\n  \"b\": tru\n}");
            assertThat(r.code()).isEqualTo(400);
            assertThat(r.headers().get("Content-Type").get(0)).startsWith("application/problem+json");
            var p = json(r);
            assertThat(p.get("line").asInt()).isEqualTo(3);
            assertThat(p.get("column").asInt()).isPositive();
            assertThat(p.get("detail").asText()).contains("line 3");
            assertThat(api.producer.history()).isEmpty();
        });
    }

    @Test
    void emptyBodyIs400() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            var r = post(client, "/somedata", "application/json", "  ");
            assertThat(r.code()).isEqualTo(400);
            assertThat(json(r).get("detail").asText()).contains("empty");
        });
    }

    @Test
    void schemaViolationIs422NamingTheField(@TempDir Path dir) throws Exception {
        Path schema = dir.resolve("events.json");
        Files.writeString(
                schema,
                "{\"type\":\"object\",\"required\":[\"vin\"],\"properties\":{\"speed\":{\"type\":\"number\"},"
                        + "\"vin\":{\"type\":\"string\",\"minLength\":17,\"maxLength\":17}}}");
        var api = new TestingApi(TestingApi.config(Map.of("schemas", Map.of("events", schema.toString()))), true);
        api.run((server, client) -> {
            var r = post(client, "/events", "application/x-www-form-urlencoded", "speed=fast&vin=ABCDEF0123456789J");
            assertThat(r.code()).isEqualTo(422);
            var p = json(r);
            assertThat(p.get("field").asText()).isEqualTo("/speed");
            assertThat(p.get("violations")).hasSize(1);
            assertThat(post(client, "/events", "application/x-www-form-urlencoded", "speed=3&vin=ABCDEF0123456789J")
                            .code())
                    .isEqualTo(200);
            assertThat(api.producer.history()).hasSize(1);
        });
    }

    @Test
    void positionalEventsAreCheckedAgainstTheTopicSchema(@TempDir Path dir) throws Exception {
        Path schema = dir.resolve("clickstream.json");
        Files.writeString(schema, "{\"type\":\"array\",\"minItems\":8,\"items\":{\"type\":\"string\"}}");
        var api = new TestingApi(
                TestingApi.config(Map.of(
                        "topics", List.of("clickstream"),
                        "positional-topics", List.of("clickstream"),
                        "schemas", Map.of("clickstream", schema.toString()))),
                true);
        api.run((server, client) -> {
            var r = post(client, "/topics/clickstream", "application/json", "[[\"a\",\"b\"],[\"u1\",7]]");
            assertThat(r.code()).isEqualTo(422);
            var p = json(r);
            assertThat(p.get("violations").findValuesAsText("keyword"))
                    .containsExactlyInAnyOrder("minItems", "minItems", "type");
            assertThat(p.get("violations").findValuesAsText("pointer")).contains("/1");
            String click = "[\"u1\",\"2023-07-01T10:00:00\",\"https://a.example/x\",\"Chile\",\"Santiago\","
                    + "\"Chrome\",\"Linux\",\"desktop\"]";
            assertThat(post(client, "/topics/clickstream", "application/json", click)
                            .code())
                    .isEqualTo(200);
            assertThat(api.producer.history())
                    .extracting(rec -> utf8(rec.value()))
                    .containsExactly(click);
        });
    }

    @Test
    void openApiDescribesPositionalArraysWhereTheyAreAccepted() {
        var api = new TestingApi(
                TestingApi.config(Map.of(
                        "routes",
                        Map.of(
                                "/somedata",
                                "somedata",
                                "/footdata",
                                "footdata",
                                "/events",
                                "events",
                                "/clicks",
                                "clickstream"),
                        "topics",
                        List.of("clickstream"),
                        "positional-topics",
                        List.of("clickstream"))),
                true);
        api.run((server, client) -> {
            var paths = json(client.get("/openapi.json")).get("paths");
            String json = "/post/requestBody/content/application~1json/schema";
            assertThat(paths.get("/topics/{topic}").at(json + "/$ref").asText()).endsWith("/PositionalEvents");
            assertThat(paths.get("/topics/{topic}").at(json + "/description").asText())
                    .contains("positional arrays only for clickstream (api.positional-topics)");
            assertThat(paths.get("/clicks").at(json + "/$ref").asText()).endsWith("/PositionalEvents");
            assertThat(paths.get("/events").at(json + "/$ref").asText()).endsWith("/Events");
        });
    }

    @Test
    void bodyOverTheLimitIs413() {
        var api = new TestingApi(TestingApi.config(Map.of("max-body-bytes", 100)), true);
        api.run((server, client) -> {
            var r = post(client, "/somedata", "application/json", "{\"a\":\"" + "x".repeat(200) + "\"}");
            assertThat(r.code()).isEqualTo(413);
            assertThat(json(r).get("limit").asLong()).isEqualTo(100);
        });
    }

    @Test
    void unsupportedContentTypeIs415() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            var r = post(client, "/somedata", "text/plain", "hello");
            assertThat(r.code()).isEqualTo(415);
            assertThat(json(r).get("field").asText()).isEqualTo("Content-Type");
        });
    }

    @Test
    void unknownTopicIs404ProblemAndNothingIsSent() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            var r = post(client, "/topics/nope", "application/json", "{}");
            assertThat(r.code()).isEqualTo(404);
            assertThat(json(r).get("detail").asText())
                    .as("without keys every caller may write every served topic, so the 404 may name them all")
                    .isEqualTo("topic 'nope' does not exist or is not writable through the API; you may write"
                            + " [clicks, events, footdata, images, somedata]");
            assertThat(client.get("/no/such/route").code()).isEqualTo(404);
            assertThat(client.get("/no/such/route")
                            .headers()
                            .get("Content-Type")
                            .get(0))
                    .startsWith("application/problem+json");
            assertThat(api.producer.history()).isEmpty();
        });
    }

    @Test
    void apiKeysGive401WhenMissingOrWrongAnd403ForOtherTopics() {
        var config = TestingApi.config(
                Map.of("keys", Map.of("key-1", Map.of("key", "secret-key-1-abcdef", "topics", List.of("events")))));
        var api = new TestingApi(config, true);
        api.run((server, client) -> {
            assertThat(post(client, "/events", "application/json", "{}").code()).isEqualTo(401);
            assertThat(post(
                                    client,
                                    "/events",
                                    "application/json",
                                    "{}".getBytes(),
                                    Map.of("X-API-Key", "wrong-key-00-abcdef"))
                            .code())
                    .isEqualTo(401);
            assertThat(post(
                                    client,
                                    "/somedata",
                                    "application/json",
                                    "{}".getBytes(),
                                    Map.of("X-API-Key", "secret-key-1-abcdef"))
                            .code())
                    .isEqualTo(403);
            assertThat(post(
                                    client,
                                    "/events",
                                    "application/json",
                                    "{}".getBytes(),
                                    Map.of("Authorization", "Bearer secret-key-1-abcdef"))
                            .code())
                    .isEqualTo(200);
            assertThat(api.producer.history()).hasSize(1);
        });
    }

    @Test
    void kafkaFailureIs503WithRetryAfterNever200() {
        var api = new TestingApi(TestingApi.config(), false);
        api.run((server, client) -> {
            var pending = CompletableFuture.supplyAsync(() -> post(client, "/events", "application/json", "{}"));
            org.awaitility.Awaitility.await().until(() -> api.producer.history().size() == 1);
            api.producer.errorNext(new NetworkException("broker gone"));
            var r = pending.join();
            assertThat(r.code()).isEqualTo(503);
            assertThat(r.headers().get("Retry-After")).containsExactly("1");
        });
    }

    @Test
    void kafkaSlowerThanTheRequestTimeoutIs503() {
        var api = new TestingApi(TestingApi.config(Map.of("request-timeout", "200ms")), false);
        api.run((server, client) -> {
            var r = post(client, "/events", "application/json", "[{},{}]");
            assertThat(r.code()).isEqualTo(503);
            assertThat(r.headers().get("Retry-After")).isNotEmpty();
            assertThat(json(r).get("detail").asText()).contains("did not acknowledge");
        });
    }

    @Test
    void moreBytesInFlightThanTheBoundIs429() {
        var config = TestingApi.config(Map.of("max-body-bytes", 1000, "max-in-flight-bytes", 1500));
        var api = new TestingApi(config, false);
        String body = "{\"a\":\"" + "x".repeat(800) + "\"}";
        api.run((server, client) -> {
            var first = CompletableFuture.supplyAsync(() -> post(client, "/events", "application/json", body));
            org.awaitility.Awaitility.await().until(() -> api.producer.history().size() == 1);
            var second = post(client, "/events", "application/json", body);
            assertThat(second.code()).isEqualTo(429);
            assertThat(second.headers().get("Retry-After")).containsExactly("1");
            api.producer.completeNext();
            assertThat(first.join().code()).isEqualTo(200);
            var third = CompletableFuture.supplyAsync(() -> post(client, "/events", "application/json", body));
            org.awaitility.Awaitility.await().until(() -> api.producer.history().size() == 2);
            api.producer.completeNext();
            assertThat(third.join().code()).isEqualTo(200);
        });
    }

    @Test
    void getSomedataPublishesTheNumberedObjectAndReturnsItWithTheDelivery() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            var r = client.get("/somedata/truck?number=3");
            assertThat(r.code()).isEqualTo(200);
            var reply = json(r);
            assertThat(reply.get("data").toString()).isEqualTo("{\"0\":\"truck\",\"1\":\"truck\",\"2\":\"truck\"}");
            assertThat(reply.get("delivery").get("topic").asText()).isEqualTo("somedata");
            assertThat(utf8(api.producer.history().get(0).value()))
                    .isEqualTo(reply.get("data").toString());
            assertThat(json(client.get("/somedata/van")).get("data").toString()).isEqualTo("{\"0\":\"van\"}");
        });
    }

    @Test
    void getSomedataWithBadNumberIs400() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            for (String bad : new String[] {"abc", "0", "-2", "1.5"}) {
                var r = client.get("/somedata/truck?number=" + bad);
                assertThat(r.code()).as(bad).isEqualTo(400);
                assertThat(json(r).get("field").asText()).isEqualTo("number");
            }
            assertThat(api.producer.history()).isEmpty();
        });
    }

    @Test
    void getEventsCountsAcceptedEventsPerTopic() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            post(client, "/events", "application/json", "[{},{}]");
            post(client, "/somedata", "application/json", "{}");
            post(client, "/events", "text/plain", "rejected");
            var counts = json(client.get("/events"));
            assertThat(counts.get("total").asLong()).isEqualTo(3);
            assertThat(counts.get("topics").get("events").asLong()).isEqualTo(2);
            var html = client.request("/events", b -> b.get().header("Accept", "text/html"));
            assertThat(html.body().string()).contains("Events served: 3.");
        });
    }

    @Test
    void healthMetricsAndOpenApi() {
        var api = new TestingApi(TestingApi.config(), true, () -> ReadinessProbe.Result.down("no broker"));
        api.run((server, client) -> {
            assertThat(client.get("/health/live").code()).isEqualTo(200);
            var ready = client.get("/health/ready");
            assertThat(ready.code()).isEqualTo(503);
            assertThat(ready.body().string()).contains("no broker");
            post(client, "/events", "application/json", "{}");
            String metrics = client.get("/metrics").body().string();
            assertThat(metrics)
                    .contains("streamloader_api_requests_seconds_bucket{")
                    .contains("status=\"200\"")
                    .contains("streamloader_api_events_total{topic=\"events\"} 1.0");
            var openapi = json(client.get("/openapi.json"));
            assertThat(openapi.get("openapi").asText()).startsWith("3.1");
            assertThat(openapi.get("paths").fieldNames())
                    .toIterable()
                    .contains(
                            "/topics/{topic}",
                            "/somedata",
                            "/footdata",
                            "/events",
                            "/somedata/{value}",
                            "/health/ready");
        });
    }

    @Test
    void generatedBodiesCountAgainstTheLimitsBeforeTheyAreBuilt() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            var r = client.get("/somedata/" + "v".repeat(6000) + "?number=10000");
            assertThat(r.code()).isEqualTo(413);
            assertThat(json(r).get("field").asText()).isEqualTo("number");
            assertThat(json(r).get("limit").asLong()).isEqualTo(16L << 20);
            assertThat(client.get("/somedata/truck?number=3").code()).isEqualTo(200);
            assertThat(api.producer.history()).hasSize(1);
        });
    }

    @Test
    void oneEventOverTheCapIs413NamingIt() {
        var api = new TestingApi(TestingApi.config(), true);
        // 5,001 events in 15 KB: the refusal comes at the body's end, so the client always reads it
        byte[] body = ("[" + "{},".repeat(5_000) + "{}]").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        api.run((server, client) -> {
            var r = post(client, "/topics/clicks", "application/json", body, Map.of());
            assertThat(r.code()).isEqualTo(413);
            var problem = json(r);
            assertThat(problem.get("limit").asInt()).isEqualTo(5000);
            assertThat(problem.get("field").asText()).isEqualTo("api.limits.max-events-per-request");
            assertThat(api.producer.history()).isEmpty();
        });
    }

    @Test
    void tenMebibytesOfEmptyEventsAre413NamingTheEventCap() {
        var api = new TestingApi(TestingApi.config(), true);
        byte[] body = ("[" + "{},".repeat(3_400_000) + "{}]").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        api.run((server, client) -> {
            // refused at the 5,001st event, unread beyond it (~15 KB of 10 MiB): when the server closes the
            // connection while the client is still sending the rest, the client's send can fail before it reads the
            // 413 (JDK HttpClient: "Broken pipe"); which comes first is a race of the two sockets. Either way the
            // server answered 413 (its request meter says so), built and published nothing, and released the bytes.
            try {
                var r = post(client, "/topics/clicks", "application/json", body, Map.of());
                assertThat(r.code()).isEqualTo(413);
                var problem = json(r);
                assertThat(problem.get("limit").asInt()).isEqualTo(5000);
                assertThat(problem.get("field").asText()).isEqualTo("api.limits.max-events-per-request");
            } catch (Exception sendFailed) {
                assertThat(sendFailed).isInstanceOf(java.io.IOException.class);
            }
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(api.registry
                                    .find("streamloader.api.requests")
                                    .tags("topic", "clicks", "status", "413")
                                    .timer())
                            .isNotNull());
            assertThat(api.producer.history()).isEmpty();
            // the in-flight bytes were released
            assertThat(post(client, "/topics/clicks", "application/json", "{\"a\":1}")
                            .code())
                    .isEqualTo(200);
        });
    }

    @Test
    void derivedAndInternalTopicsAre404LikeUnknownOnes() {
        var api = new TestingApi(TestingApi.config().withProtectedTopics(Set.of("click_events")), true);
        api.run((server, client) -> {
            for (String topic :
                    List.of("click_events", "clicks.dlq", "__consumer_offsets", "_schemas", "a-changelog")) {
                var r = post(client, "/topics/" + topic, "application/json", "{}");
                assertThat(r.code()).as(topic).isEqualTo(404);
                String detail = json(r).get("detail").asText();
                assertThat(detail)
                        .startsWith("topic '" + topic + "' does not exist or is not writable through the API; you may"
                                + " write [");
                assertThat(detail.substring(detail.indexOf("you may write")))
                        .as("the writable topics listed never include derived, dead-letter or internal ones")
                        .doesNotContain("click_events", ".dlq", "__", "_schemas", "changelog");
            }
            assertThat(api.producer.history()).isEmpty();
        });
    }

    @Test
    void disguisedBlobsAre415NamingContentType() {
        var api = new TestingApi(TestingApi.config(), true);
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        api.run((server, client) -> {
            for (var c : List.of(
                    Map.entry("image/png", svg),
                    Map.entry("image/svg+xml", svg),
                    Map.entry("text/html", ContentTypesTest.PNG))) {
                var r = post(client, "/topics/images", c.getKey(), c.getValue(), Map.of());
                assertThat(r.code()).as(c.getKey()).isEqualTo(415);
                assertThat(json(r).get("field").asText()).isEqualTo("Content-Type");
            }
            assertThat(post(client, "/topics/images", "image/png; x=y", ContentTypesTest.PNG, Map.of())
                            .code())
                    .isEqualTo(200);
            assertThat(header(api.producer.history().get(0), "content-type")).isEqualTo("image/png");
        });
    }
}
