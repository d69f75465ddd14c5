package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.config.KeySecret;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link AccessGate} as {@code before} handlers in front of a handler that reports whom it was called for, and the
 * timing around them ({@link IngestRoutes#guarded}): a refused request never reaches the handler and is still timed.
 */
class AccessGateTest {

    private static final String WRITER = "writer-key-0123456789";
    private static final String READER = "reader-key-0123456789";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ApiMetrics metrics =
            new ApiMetrics(registry, Set.of("clicks", "images"), new InFlightLimiter(1 << 20, 1));
    private int reached;

    private Javalin app(ApiSecurity security) {
        var gate = new AccessGate(new ApiAuth(security, Set.of("clicks", "images")));
        return Javalin.create(cfg -> {
            gate.guardReads(cfg.routes);
            IngestRoutes.guarded(
                    cfg.routes,
                    gate,
                    metrics,
                    HandlerType.POST,
                    "/w/{topic}",
                    "/w/{topic}",
                    ctx -> ctx.pathParam("topic"));
            cfg.routes.post("/w/{topic}", ctx -> {
                reached++;
                ctx.result(AccessGate.caller(ctx).map(ApiKey::name).orElse("anyone"));
            });
            cfg.routes.get("/w/{topic}", ctx -> ctx.result("read"));
            cfg.routes.get("/metrics", ctx -> ctx.result("meters"));
            ProblemResponses.install(cfg);
        });
    }

    private static ApiSecurity keys(long writerRate) {
        return new ApiSecurity(
                List.of(
                        new ApiKey("writer", KeySecret.parse(WRITER), Set.of("clicks"), Map.of(), writerRate, 1),
                        new ApiKey("reader", KeySecret.parse(READER), Set.of("images"), Map.of(), 0, 0)),
                false,
                Optional.empty());
    }

    private static Response write(HttpClient client, String topic, String key) {
        return client.request("/w/" + topic, b -> {
            b.post(java.net.http.HttpRequest.BodyPublishers.ofString("{}"));
            if (key != null) {
                b.header("X-API-Key", key);
            }
        });
    }

    private long timed(String topic, int status) {
        var timer = registry.find("streamloader.api.requests")
                .tags("route", "/w/{topic}", "topic", topic, "status", Integer.toString(status))
                .timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void aKeyForTheTopicIsLetThroughAndTheHandlerSeesIt() {
        JavalinTest.test(app(keys(0)), (server, client) -> {
            var r = write(client, "clicks", WRITER);
            assertThat(r.code()).isEqualTo(200);
            assertThat(r.body().string()).isEqualTo("writer");
            assertThat(reached).isEqualTo(1);
            assertThat(timed("clicks", 200)).isEqualTo(1);
        });
    }

    @Test
    void noKeyOrAWrongKeyIsDeniedBeforeTheHandler() {
        JavalinTest.test(app(keys(0)), (server, client) -> {
            assertThat(write(client, "clicks", null).code()).isEqualTo(401);
            assertThat(write(client, "clicks", "wrong-key-0123456789").code()).isEqualTo(401);
            assertThat(client.get("/metrics").code()).isEqualTo(401);
            assertThat(client.request("/metrics", b -> b.get().header("X-API-Key", READER))
                            .body()
                            .string())
                    .isEqualTo("meters");
            assertThat(reached).isZero();
            assertThat(timed("clicks", 401))
                    .as("a refusal is timed with its status")
                    .isEqualTo(2);
        });
    }

    @Test
    void aKeyForAnotherTopicIs403AndAnUnknownTopic404() {
        JavalinTest.test(app(keys(0)), (server, client) -> {
            var forbidden = write(client, "images", WRITER);
            assertThat(forbidden.code()).isEqualTo(403);
            assertThat(TestingApi.json(forbidden).get("field").asText()).isEqualTo("topic");
            var unknown = write(client, "nope", WRITER);
            assertThat(unknown.code()).isEqualTo(404);
            assertThat(TestingApi.json(unknown).get("detail").asText()).endsWith("you may write [clicks]");
            assertThat(reached).isZero();
            assertThat(timed("images", 403)).isEqualTo(1);
            assertThat(timed(ApiMetrics.UNKNOWN, 404)).isEqualTo(1);
        });
    }

    @Test
    void aKeyOverItsRateIs429() {
        JavalinTest.test(app(keys(1)), (server, client) -> {
            assertThat(write(client, "clicks", WRITER).code()).isEqualTo(200);
            assertThat(write(client, "clicks", WRITER).code()).isEqualTo(429);
            assertThat(reached).isEqualTo(1);
        });
    }

    @Test
    void otherMethodsOnAGuardedPathPassUntouched() {
        JavalinTest.test(app(keys(0)), (server, client) -> {
            assertThat(client.get("/w/clicks").body().string()).isEqualTo("read");
            assertThat(registry.find("streamloader.api.requests").timers()).isEmpty();
        });
    }

    @Test
    void withoutKeysEveryServedTopicIsWritableByAnyone() {
        JavalinTest.test(app(ApiSecurity.NONE), (server, client) -> {
            assertThat(write(client, "images", null).body().string()).isEqualTo("anyone");
            assertThat(write(client, "nope", null).code()).isEqualTo(404);
            assertThat(client.get("/metrics").code()).isEqualTo(200);
        });
    }
}
