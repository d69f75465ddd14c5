package io.streamloader.api;

import static io.streamloader.api.TestingApi.header;
import static io.streamloader.api.TestingApi.json;
import static io.streamloader.api.TestingApi.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.testtools.HttpClient;
import io.javalin.testtools.Response;
import io.streamloader.core.config.KeySecret;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** API keys, topic scope, per-key rate limit and tenant pins over a real port and a {@link MockProducerApi}. */
class ProducerApiAuthTest {

    private static final String WRITER = "writer-key-0123456789";
    private static final String HASHED = "hashed-key-0123456789";
    private static final String ACME = "acme-key-0123456789ab";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};

    private static ApiConfig config(long acmeRate) {
        String hex = HexFormat.of().formatHex(KeySecret.sha256(HASHED));
        return TestingApi.config(Map.of("topics", List.of("clicks", "images", "secret-topic")))
                .withSecurity(new ApiSecurity(
                        List.of(
                                new ApiKey("writer", KeySecret.parse(WRITER), Set.of("clicks"), Map.of(), 0, 0),
                                new ApiKey(
                                        "hashed",
                                        KeySecret.parse("sha256:" + hex),
                                        Set.of("clicks", "events"),
                                        Map.of(),
                                        0,
                                        0),
                                new ApiKey(
                                        "acme",
                                        KeySecret.parse(ACME),
                                        Set.of("images"),
                                        Map.of("customer_id", "acme"),
                                        acmeRate,
                                        acmeRate)),
                        false,
                        Optional.empty()));
    }

    private static Response send(HttpClient client, String path, Map<String, String> headers) {
        return post(client, path, "application/json", "{}".getBytes(StandardCharsets.UTF_8), headers);
    }

    private static void assertProblem(Response r, int status, String field) {
        assertThat(r.code()).isEqualTo(status);
        assertThat(r.headers().get("Content-Type")).singleElement().asString().startsWith("application/problem+json");
        assertThat(json(r).get("status").asInt()).isEqualTo(status);
        if (field != null) {
            assertThat(json(r).get("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void missingOrWrongKeysAre401WithABearerChallenge() {
        var api = new TestingApi(config(0), true);
        api.run((server, client) -> {
            for (Map<String, String> headers : List.of(
                    Map.<String, String>of(),
                    Map.of("X-API-Key", "wrong-key-0123456789"),
                    Map.of("X-API-Key", WRITER.substring(1)),
                    Map.of("Authorization", "Bearer " + WRITER + "x"),
                    Map.of("Authorization", "Basic " + WRITER),
                    Map.of("X-API-Key", "sha256:" + HexFormat.of().formatHex(KeySecret.sha256(HASHED))),
                    Map.of("X-API-Key", WRITER, "Authorization", "Bearer " + HASHED))) {
                Response r = send(client, "/topics/clicks", headers);
                assertProblem(r, 401, "X-API-Key");
                assertThat(r.headers().get("WWW-Authenticate")).containsExactly("Bearer");
            }
            assertThat(api.producer.history()).isEmpty();
        });
    }

    @Test
    void aKeyWorksInEitherHeaderAndAsAHash() {
        var api = new TestingApi(config(0), true);
        api.run((server, client) -> {
            assertThat(send(client, "/topics/clicks", Map.of("X-API-Key", WRITER))
                            .code())
                    .isEqualTo(200);
            assertThat(send(client, "/topics/clicks", Map.of("Authorization", "Bearer " + WRITER))
                            .code())
                    .isEqualTo(200);
            assertThat(send(client, "/topics/clicks", Map.of("authorization", "bearer " + WRITER))
                            .code())
                    .isEqualTo(200);
            assertThat(send(client, "/topics/clicks", Map.of("X-API-Key", WRITER, "Authorization", "Bearer " + WRITER))
                            .code())
                    .isEqualTo(200);
            assertThat(send(client, "/events", Map.of("X-API-Key", HASHED)).code())
                    .isEqualTo(200);
            assertThat(api.producer.history()).hasSize(5);
        });
    }

    @Test
    void topicsOutsideTheScopeAre403AndA404NamesOnlyVisibleTopics() {
        var api = new TestingApi(config(0), true);
        api.run((server, client) -> {
            assertProblem(send(client, "/topics/images", Map.of("X-API-Key", WRITER)), 403, "topic");
            assertProblem(send(client, "/events", Map.of("X-API-Key", WRITER)), 403, "topic");
            Response unknown = send(client, "/topics/nope", Map.of("X-API-Key", WRITER));
            assertProblem(unknown, 404, "topic");
            String detail = json(unknown).get("detail").asText();
            assertThat(detail).contains("clicks").doesNotContain("secret-topic").doesNotContain("images");
            // without a key nothing is revealed at all
            Response anonymous = send(client, "/topics/nope", Map.of());
            assertProblem(anonymous, 401, "X-API-Key");
            assertThat(anonymous.body().string()).doesNotContain("clicks");
            assertThat(api.producer.history()).isEmpty();
        });
    }

    @Test
    void endpointsNamingTopicsNeedAKeyButLivenessStaysOpen() {
        var api = new TestingApi(config(0), true, () -> ReadinessProbe.Result.down("topic 'secret-topic' missing"));
        api.run((server, client) -> {
            assertThat(client.get("/health/live").code()).isEqualTo(200);
            assertProblem(client.get("/metrics"), 401, "X-API-Key");
            assertProblem(client.get("/openapi.json"), 401, "X-API-Key");
            assertProblem(client.get("/events"), 401, "X-API-Key");
            assertThat(client.get("/metrics", b -> b.header("X-API-Key", WRITER))
                            .code())
                    .isEqualTo(200);
            assertThat(client.get("/openapi.json", b -> b.header("X-API-Key", WRITER))
                            .code())
                    .isEqualTo(200);
            // readiness is 503 for everyone; JavalinTest's client comes from loopback, so it sees the detail
            Response ready = client.get("/health/ready");
            assertThat(ready.code()).isEqualTo(503);
            assertThat(ready.body().string()).contains("secret-topic");
        });
    }

    @Test
    void aKeysRateLimitGives429WithRetryAfterAndOtherKeysAreUnaffected() {
        var api = new TestingApi(config(3), true);
        api.run((server, client) -> {
            var acme = Map.of("X-API-Key", ACME);
            for (int i = 0; i < 3; i++) {
                assertThat(post(client, "/topics/images", "image/png", PNG, acme)
                                .code())
                        .isEqualTo(200);
            }
            Response limited = post(client, "/topics/images", "image/png", PNG, acme);
            assertProblem(limited, 429, null);
            assertThat(Long.parseLong(limited.headers().get("Retry-After").get(0)))
                    .isBetween(1L, 2L);
            assertThat(json(limited).get("detail").asText()).contains("acme").doesNotContain(ACME);
            assertThat(send(client, "/topics/clicks", Map.of("X-API-Key", WRITER))
                            .code())
                    .isEqualTo(200);
            assertThat(api.producer.history()).hasSize(4);
        });
    }

    @Test
    void pinnedVariablesComeFromTheKeyAndContradictionsAre403() {
        var api = new TestingApi(config(0), true);
        api.run((server, client) -> {
            var acme = Map.of("X-API-Key", ACME);
            assertThat(post(client, "/topics/images?uuid=u1", "image/png", PNG, acme)
                            .code())
                    .isEqualTo(200);
            assertThat(post(client, "/topics/images?customer_id=acme&uuid=u2", "image/png", PNG, acme)
                            .code())
                    .isEqualTo(200);
            assertThat(header(api.producer.history().get(0), "meta.customer_id"))
                    .isEqualTo("acme");
            assertThat(header(api.producer.history().get(0), "meta.uuid")).isEqualTo("u1");
            assertThat(header(api.producer.history().get(1), "meta.customer_id"))
                    .isEqualTo("acme");

            assertProblem(
                    post(client, "/topics/images?customer_id=globex&uuid=u3", "image/png", PNG, acme),
                    403,
                    "customer_id");
            assertProblem(
                    post(client, "/topics/images?Customer_ID=globex", "image/png", PNG, acme), 403, "customer_id");
            assertProblem(
                    post(client, "/topics/images?customer_id=acme&customer_id=globex", "image/png", PNG, acme),
                    403,
                    "customer_id");
            assertProblem(
                    post(
                            client,
                            "/topics/images",
                            "image/png",
                            PNG,
                            Map.of("X-API-Key", ACME, "X-Meta-Customer_id", "globex")),
                    403,
                    "customer_id");
            assertThat(api.producer.history()).hasSize(2);
        });
    }
}
