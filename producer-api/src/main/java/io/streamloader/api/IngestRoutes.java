package io.streamloader.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The topic routes: {@code POST /topics/{topic}} and each {@code api.routes} path. A request passes the {@link
 * AccessGate} first, then, each step refusing with its own problem status: pinned tenant variables (403) → declared
 * length (413) → content type (415) → in-flight bytes (429) → body read within the limit (413; past 256 KiB only with
 * a large-body turn, see {@link InFlightLimiter}) → parse (400) → schema (422) → Kafka acknowledgement within the
 * timeout (503) → 200 with one delivery ("where it landed") per event. Handlers block on virtual threads while Kafka
 * acknowledges.
 *
 * <p>Thread-safe: the state is the limiter's and the publisher's.
 */
final class IngestRoutes {

    private static final String STARTED = "streamloader.started";

    private final ApiConfig config;
    private final BodyParser parser;
    private final TopicSchemas schemas;
    private final InFlightLimiter limiter;
    private final EventPublisher publisher;
    private final ApiMetrics metrics;

    IngestRoutes(
            ApiConfig config,
            BodyParser parser,
            TopicSchemas schemas,
            InFlightLimiter limiter,
            EventPublisher publisher,
            ApiMetrics metrics) {
        this.config = config;
        this.parser = parser;
        this.schemas = schemas;
        this.limiter = limiter;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** Registers the topic routes, each timed and guarded by {@code gate}. */
    void install(RoutesConfig routes, AccessGate gate) {
        String byTopic = "/topics/{topic}";
        Function<Context, String> pathTopic = ctx -> ctx.pathParam("topic");
        guarded(routes, gate, metrics, HandlerType.POST, byTopic, byTopic, pathTopic);
        routes.post(byTopic, ctx -> ingest(ctx, ctx.pathParam("topic")));
        config.routes().forEach((path, topic) -> {
            guarded(routes, gate, metrics, HandlerType.POST, path, path, ctx -> topic);
            routes.post(path, ctx -> ingest(ctx, topic));
        });
    }

    /**
     * Times {@code method path} from before its access check to its reply, tagged {@code route}, the topic and the
     * status sent (a refusal at the gate included), and guards it with {@code gate}. Register the handler after this.
     */
    static void guarded(
            RoutesConfig routes,
            AccessGate gate,
            ApiMetrics metrics,
            HandlerType method,
            String path,
            String route,
            Function<Context, String> topicOf) {
        routes.before(path, ctx -> {
            if (ctx.method() == method) {
                ctx.attribute(STARTED, System.nanoTime());
            }
        });
        gate.guardWrites(routes, method, path, topicOf);
        routes.after(path, ctx -> {
            Long started = ctx.attribute(STARTED);
            if (started != null) {
                metrics.request(route, topicOf.apply(ctx), ctx.statusCode(), System.nanoTime() - started);
            }
        });
    }

    private void ingest(Context ctx, String topic) {
        // tenant variables from the key (403)
        var pinned = ApiAuth.pin(AccessGate.caller(ctx), query(ctx), metaHeaders(ctx));
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            throw BoundedBody.tooLarge(config.maxBodyBytes());
        }
        Optional<String> contentType =
                Optional.ofNullable(ctx.header("Content-Type")).filter(s -> !s.isBlank());
        BodyKind kind = BodyKind.of(contentType, config.blobContentTypes(topic)); // 415 before reading anything
        // reserved as bytes arrive: a Content-Length that is never sent reserves nothing
        try (InFlightLimiter.Permit permit = limiter.acquire(1)) {
            if (kind == BodyKind.BLOB) {
                permit.withoutTurn(); // a blob is copied, not parsed: an image upload never waits behind a JSON array
            }
            // parsed as it arrives: a body past a limit is refused at that point, unread beyond it
            BoundedBody body = body(ctx, declared, permit);
            var incoming = new IncomingBody(
                    contentType,
                    body,
                    pinned.query(),
                    pinned.meta(),
                    Optional.ofNullable(ctx.header("Idempotency-Key")));
            var events = parser.parse(topic, incoming);
            schemas.validate(topic, events);
            List<Delivery> deliveries = publisher.publish(topic, events);
            metrics.accepted(topic, events.size(), body.received());
            ctx.status(200).contentType("application/json").result(Json.bytes(deliveries));
        }
    }

    private BoundedBody body(Context ctx, long declared, InFlightLimiter.Permit permit) {
        try {
            InputStream in = ctx.req().getInputStream();
            return BoundedBody.of(
                    in, declared, config.maxBodyBytes(), config.limits().minRequestDataRate(), permit);
        } catch (IOException e) {
            throw ApiProblem.badRequest("the request body could not be read").with("field", "body");
        }
    }

    private static Map<String, List<String>> query(Context ctx) {
        try {
            return ctx.queryParamMap();
        } catch (RuntimeException e) {
            throw ApiProblem.badRequest("malformed query string (percent-encoding or UTF-8)")
                    .with("field", "query");
        }
    }

    private static Map<String, String> metaHeaders(Context ctx) {
        var meta = new LinkedHashMap<String, String>();
        var names = ctx.req().getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            if (name.length() > 7 && name.regionMatches(true, 0, "X-Meta-", 0, 7)) {
                meta.put(name.substring(7).toLowerCase(Locale.ROOT), ctx.req().getHeader(name));
            }
        }
        return meta;
    }
}
