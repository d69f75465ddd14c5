package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ForbiddenResponse;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import org.eclipse.jetty.http.BadMessageException;
import org.junit.jupiter.api.Test;

/** {@link ProblemResponses}: each kind of failure a handler can raise, as the problem document a client gets. */
class ProblemResponsesTest {

    private static Javalin app() {
        return Javalin.create(cfg -> {
            cfg.routes.get("/problem", ctx -> {
                throw ApiProblem.retryLater(429, "Too Many Requests", "slow down", 7)
                        .with("field", "body")
                        .with("status", 999); // an extension never overrides a standard member
            });
            cfg.routes.get("/javalin", ctx -> {
                throw new ForbiddenResponse("internal words");
            });
            cfg.routes.get("/javalin-400", ctx -> {
                throw new BadRequestResponse();
            });
            cfg.routes.get("/jetty-4xx", ctx -> {
                throw new BadMessageException(431, "headers");
            });
            cfg.routes.get("/jetty-default", ctx -> {
                throw new BadMessageException("no code");
            });
            cfg.routes.get("/bare-404", ctx -> ctx.status(404));
            cfg.routes.get("/bug", ctx -> {
                throw new IllegalStateException("secret detail");
            });
            cfg.routes.get("/ok", ctx -> ctx.result("fine"));
            ProblemResponses.install(cfg);
        });
    }

    private static JsonNode problem(Response r, int status) {
        assertThat(r.code()).isEqualTo(status);
        assertThat(r.headers().get("Content-Type")).singleElement().asString().startsWith("application/problem+json");
        JsonNode p = TestingApi.json(r);
        assertThat(p.get("type").asText()).isEqualTo("about:blank");
        assertThat(p.get("status").asInt()).isEqualTo(status);
        return p;
    }

    @Test
    void anApiProblemKeepsItsStatusDetailExtensionsAndRetryAfter() {
        JavalinTest.test(app(), (server, client) -> {
            var r = client.get("/problem");
            var p = problem(r, 429);
            assertThat(p.get("title").asText()).isEqualTo("Too Many Requests");
            assertThat(p.get("detail").asText()).isEqualTo("slow down");
            assertThat(p.get("instance").asText()).isEqualTo("/problem");
            assertThat(p.get("field").asText()).isEqualTo("body");
            assertThat(r.headers().get("Retry-After")).containsExactly("7");
        });
    }

    @Test
    void javalinsResponsesKeepTheirStatusWithTheReasonAsDetail() {
        JavalinTest.test(app(), (server, client) -> {
            var p = problem(client.get("/javalin"), 403);
            assertThat(p.get("title").asText()).isEqualTo("Forbidden");
            assertThat(p.get("detail").asText()).isEqualTo("the request was refused: Forbidden");
            assertThat(problem(client.get("/javalin-400"), 400).get("title").asText())
                    .isEqualTo("Bad Request");
        });
    }

    @Test
    void jettysVerdictIsTheClientsFaultNeverA5xx() {
        JavalinTest.test(app(), (server, client) -> {
            assertThat(problem(client.get("/jetty-4xx"), 431).get("detail").asText())
                    .isEqualTo(ErrorPages.detail(431));
            assertThat(problem(client.get("/jetty-default"), 400).get("detail").asText())
                    .isEqualTo(ErrorPages.detail(400));
        });
    }

    @Test
    void anythingElseIs500WithoutItsMessage() {
        JavalinTest.test(app(), (server, client) -> {
            var r = client.get("/bug");
            var p = problem(r, 500);
            assertThat(p.get("detail").asText()).isEqualTo("unexpected error; see the server log");
            assertThat(r.body().string()).doesNotContain("secret detail");
        });
    }

    @Test
    void aPathWithoutARouteOrABare404IsA404Problem() {
        JavalinTest.test(app(), (server, client) -> {
            assertThat(problem(client.post("/nowhere", "{}"), 404).get("detail").asText())
                    .as("Javalin's own NotFoundResponse")
                    .isEqualTo("the request was refused: Not Found");
            assertThat(problem(client.get("/bare-404"), 404).get("detail").asText())
                    .isEqualTo("no route for GET /bare-404");
            assertThat(client.get("/ok").body().string()).isEqualTo("fine");
        });
    }
}
