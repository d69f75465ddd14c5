package io.streamloader.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seed flows' extra routes, each present only when its seed's route is configured: {@code GET /somedata/{value}}
 * (seed 002), the {@code GET /events} counter page (seed 004), and {@code GET /} linking to the operations console.
 *
 * <p>Thread-safe: the state is the limiter's, the publisher's and the meters'.
 */
final class DemoRoutes {

    private static final int MAX_SOMEDATA_NUMBER = 10_000;

    private final ApiConfig config;
    private final BodyParser parser;
    private final TopicSchemas schemas;
    private final InFlightLimiter limiter;
    private final EventPublisher publisher;
    private final ApiMetrics metrics;

    DemoRoutes(
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

    /** Registers the demo routes whose seed route is configured, and the welcome page when there is a console. */
    void install(RoutesConfig routes, AccessGate gate, Optional<String> consoleUrl) {
        String somedata = config.routes().get("/somedata");
        if (somedata != null) {
            String path = "/somedata/{value}";
            IngestRoutes.guarded(routes, gate, metrics, HandlerType.GET, path, path, ctx -> somedata);
            routes.get(path, ctx -> somedata(ctx, somedata));
        }
        if (config.routes().containsKey("/events")) {
            routes.get("/events", this::counters);
        }
        consoleUrl.ifPresent(url -> routes.get("/", ctx -> Welcome.page(ctx, url)));
    }

    /** Seed 002's {@code GET /somedata/<value>?number=N}: publishes {@code {"0":value,...}} and returns it. */
    private void somedata(Context ctx, String topic) {
        int number = number(ctx.queryParam("number"));
        String value = ctx.pathParam("value");
        // the generated body counts against the body and in-flight limits before it is built
        long estimate = 2 + (long) number * (value.length() * 6L + 10);
        if (estimate > config.maxBodyBytes()) {
            throw BoundedBody.tooLarge(config.maxBodyBytes()).with("field", "number");
        }
        var data = new LinkedHashMap<String, String>();
        for (int i = 0; i < number; i++) {
            data.put(Integer.toString(i), value);
        }
        try (var permit = limiter.acquire(estimate)) {
            byte[] bytes = Json.bytes(data);
            List<PendingEvent> events = parser.parse(
                    topic,
                    new IncomingBody(
                            Optional.of("application/json"),
                            bytes,
                            Map.of(),
                            Map.of(),
                            Optional.ofNullable(ctx.header("Idempotency-Key"))));
            schemas.validate(topic, events);
            List<Delivery> deliveries = publisher.publish(topic, events);
            metrics.accepted(topic, 1, bytes.length);
            var reply = new LinkedHashMap<String, Object>();
            reply.put("data", data);
            reply.put("delivery", deliveries.get(0));
            ctx.status(200).contentType("application/json").result(Json.bytes(reply));
        }
    }

    private static int number(String raw) {
        if (raw == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= 1 && n <= MAX_SOMEDATA_NUMBER) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        throw ApiProblem.badRequest("query parameter 'number' must be an integer from 1 to " + MAX_SOMEDATA_NUMBER
                        + ", got '" + (raw.length() > 20 ? raw.substring(0, 20) + "..." : raw) + "'")
                .with("field", "number");
    }

    /** Seed 004's counter page: HTML for browsers, JSON otherwise. */
    private void counters(Context ctx) {
        Map<String, Long> counts = metrics.acceptedPerTopic();
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        String accept = Optional.ofNullable(ctx.header("Accept")).orElse("");
        if (accept.contains("text/html")) {
            var html = new StringBuilder("<!doctype html><html><head><title>streamloader</title></head><body>")
                    .append("<h1>Welcome to streamloader producer-api!</h1><p>Events served: ")
                    .append(total)
                    .append(".</p><table><tr><th>topic</th><th>events</th></tr>");
            counts.forEach((t, n) -> html.append("<tr><td>")
                    .append(t)
                    .append("</td><td>")
                    .append(n)
                    .append("</td></tr>"));
            ctx.html(html.append("</table></body></html>").toString());
        } else {
            var reply = new LinkedHashMap<String, Object>();
            reply.put("total", total);
            reply.put("topics", counts);
            ctx.contentType("application/json").result(Json.bytes(reply));
        }
    }
}
