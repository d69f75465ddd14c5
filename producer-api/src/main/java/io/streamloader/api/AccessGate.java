package io.streamloader.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who may call what, as {@code before} handlers: nothing past them runs for a refused request.
 *
 * <ol>
 *   <li>{@link #guardWrites}: a route that writes to a topic checks the key (401), the topic (404), the key's scope
 *       (403) and the key's rate (429), see {@link ApiAuth#authorize}; the handler then finds the caller's key with
 *       {@link #caller(Context)}.
 *   <li>{@link #guardReads}: with keys configured, what names topics or internals ({@code GET /metrics}, {@code
 *       /openapi.json}, {@code /events}) needs a key; {@code /health/*} stays open.
 * </ol>
 *
 * <p>Thread-safe (the state is {@link ApiAuth}'s).
 */
final class AccessGate {

    private static final String CALLER = "streamloader.caller";

    private final ApiAuth auth;

    AccessGate(ApiAuth auth) {
        this.auth = auth;
    }

    /** Guards {@code method path}, which writes to {@code topicOf(ctx)}; other methods on the path pass untouched. */
    void guardWrites(RoutesConfig routes, HandlerType method, String path, Function<Context, String> topicOf) {
        routes.before(path, ctx -> {
            if (ctx.method() == method) {
                ctx.attribute(CALLER, auth.authorize(ctx, topicOf.apply(ctx)));
            }
        });
    }

    /** Requires a key (when keys are configured) for {@code GET} of the paths that describe topics or internals. */
    void guardReads(RoutesConfig routes) {
        for (String path : List.of("/metrics", "/openapi.json", "/events")) {
            routes.before(path, ctx -> {
                if (ctx.method() == HandlerType.GET) {
                    auth.authenticate(ctx);
                }
            });
        }
    }

    /**
     * The key the gate admitted this request with; empty when the API has no keys.
     *
     * @throws IllegalStateException when the route was not guarded by {@link #guardWrites}: a wiring bug
     */
    static Optional<ApiKey> caller(Context ctx) {
        Optional<ApiKey> caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException("no access check ran for " + ctx.method() + " " + ctx.path());
        }
        return caller;
    }
}
