package io.streamloader.api;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an {@code application/problem+json} reply (RFC 9457): {@link #install} maps
 * every exception a handler can throw, and a 404 without a route, to a problem document.
 *
 * <ol>
 *   <li>{@link ApiProblem}: its status, title, detail and extensions, and {@code Retry-After} when it has one.
 *   <li>Javalin's {@link HttpResponseException}: its status, with the status's reason as detail.
 *   <li>Jetty's {@link BadMessageException} (bad query encoding, a body too slow, ...): the client's fault, so its 4xx
 *       or else 400, never a 5xx.
 *   <li>Anything else: 500 with a fixed detail; the exception goes to the log, never to the client.
 *   <li>A 404 that is not already a problem: "no route for METHOD path".
 * </ol>
 *
 * <p>Stateless; thread-safe.
 */
final class ProblemResponses {

    static final String PROBLEM_JSON = "application/problem+json";

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

    private ProblemResponses() {}

    /** Registers the exception mappers and the 404 page on {@code cfg}. */
    static void install(JavalinConfig cfg) {
        cfg.routes.exception(ApiProblem.class, (e, ctx) -> send(ctx, e));
        cfg.routes.exception(
                HttpResponseException.class,
                (e, ctx) -> send(
                        ctx,
                        ApiProblem.of(
                                e.getStatus(),
                                reason(e.getStatus()),
                                "the request was refused: " + reason(e.getStatus()))));
        cfg.routes.exception(BadMessageException.class, (e, ctx) -> {
            int status = e.getCode() >= 400 && e.getCode() < 500 ? e.getCode() : 400;
            send(ctx, ApiProblem.of(status, reason(status), ErrorPages.detail(status)));
        });
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            send(ctx, ApiProblem.of(500, "Internal Server Error", "unexpected error; see the server log"));
        });
        cfg.routes.error(404, ctx -> {
            if (!isProblem(ctx)) {
                send(ctx, ApiProblem.of(404, "Not Found", "no route for " + ctx.method() + " " + ctx.path()));
            }
        });
    }

    /** Replies with {@code p} as a problem document, {@code instance} being the request path. */
    static void send(Context ctx, ApiProblem p) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        body.put("instance", ctx.path());
        p.extensions().forEach(body::putIfAbsent);
        p.retryAfterSeconds().ifPresent(s -> ctx.header("Retry-After", Long.toString(s)));
        ctx.status(p.status()).contentType(PROBLEM_JSON).result(Json.bytes(body));
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(PROBLEM_JSON);
    }

    private static String reason(int status) {
        return HttpStatus.forStatus(status).getMessage();
    }
}
