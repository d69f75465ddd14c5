package io.streamloader.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer API as a Javalin app: {@link #create()} returns it configured but not started.
 *
 * <p>Request path of an ingest route, each step refusing with its own problem status: API key (401) → topic known
 * (404) → key allowed for the topic (403) → key's rate (429) → pinned tenant variables (403) → declared length (413)
 * → content type (415) → in-flight bytes (429) → body read within the limit (413; past 256 KiB only with a large-body
 * turn, waited for up to 1 s, else 429: see {@link InFlightLimiter}) → parse (400) → schema (422) →
 * Kafka acknowledgement within the timeout (503) → 200 with one delivery per event. Handlers block on virtual threads
 * while Kafka acknowledges.
 *
 * <p>The Kafka record key is the event id unless {@code api.key-field} names a field (then its value, falling back to
 * the id): ids are unique, so by default events spread over partitions; a key field keeps one entity's events in order.
 */
public final class ProducerApi {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerApi.class);
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final int MAX_SOMEDATA_NUMBER = 10_000;

    private final ApiConfig config;
    private final Producer<byte[], byte[]> producer;
    private final MeterRegistry registry;
    private final ReadinessProbe readiness;
    private final List<AutoCloseable> owned;
    private final BodyParser parser;
    private final TopicSchemas schemas;
    private final InFlightLimiter limiter;
    private final EventPublisher publisher;
    private final ApiMetrics metrics;
    private final Set<String> topics;
    private final ApiAuth auth;
    private final CachedCheck<ReadinessProbe.Result> readyCache;

    /**
     * @param config validated settings; schema files are loaded here
     * @param producer configured like {@link KafkaProducerSettings#forApi}; the caller keeps ownership
     * @param registry where meters go; {@code /metrics} serves it when it is a {@link PrometheusMeterRegistry}
     * @param readiness answers {@code /health/ready}
     */
    public ProducerApi(
            ApiConfig config, Producer<byte[], byte[]> producer, MeterRegistry registry, ReadinessProbe readiness) {
        this(config, producer, registry, readiness, List.of());
    }

    private ProducerApi(
            ApiConfig config,
            Producer<byte[], byte[]> producer,
            MeterRegistry registry,
            ReadinessProbe readiness,
            List<AutoCloseable> owned) {
        this.config = config;
        this.producer = producer;
        this.registry = registry;
        this.readiness = readiness;
        this.owned = List.copyOf(owned);
        this.topics = config.allTopics();
        this.parser = new BodyParser(config);
        this.schemas = TopicSchemas.load(config.schemas());
        this.limiter = new InFlightLimiter(config.maxInFlightBytes(), config.retryAfterSeconds());
        this.publisher = new EventPublisher(producer, config.requestTimeout(), config.retryAfterSeconds());
        this.metrics = new ApiMetrics(registry, topics, limiter);
        // protected topics are refused at config time; filtering them again keeps a 404 from ever naming one
        this.auth = new ApiAuth(
                config.security(),
                topics.stream()
                        .filter(t ->
                                TopicAccess.refusal(t, config.protectedTopics()).isEmpty())
                        .collect(java.util.stream.Collectors.toSet()));
        this.readyCache = new CachedCheck<>(
                readiness::check,
                java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(3),
                ReadinessProbe.Result::down);
    }

    /**
     * An API that owns its Kafka clients: a producer and an admin client (for readiness) built from {@code
     * kafkaProperties} (bootstrap servers, security, ...) on top of {@link KafkaProducerSettings#forApi}; both are
     * closed when the server stops.
     */
    public static ProducerApi connect(
            ApiConfig config, Map<String, Object> kafkaProperties, PrometheusMeterRegistry registry) {
        String bootstrap = String.valueOf(kafkaProperties.get("bootstrap.servers"));
        var producerProps = KafkaProducerSettings.forApi(bootstrap, config.requestTimeout());
        kafkaProperties.forEach(producerProps::putIfAbsent);
        var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(producerProps);
        try {
            var adminProps = new LinkedHashMap<String, Object>(kafkaProperties);
            adminProps.put("request.timeout.ms", 2000);
            adminProps.put("default.api.timeout.ms", 2000);
            var admin = org.apache.kafka.clients.admin.Admin.create(adminProps);
            var probe = new KafkaReadiness(admin, config.allTopics(), java.time.Duration.ofSeconds(2));
            return new ProducerApi(config, producer, registry, probe, List.of(admin, producer));
        } catch (RuntimeException e) {
            producer.close();
            throw e;
        }
    }

    /** The configured, unstarted app. Start it with {@code start()}; it listens on {@code api.host:api.port}. */
    public Javalin create() {
        return create(Optional.empty());
    }

    /**
     * As {@link #create()}, with a {@code GET /} welcome page that links to the operations console at {@code
     * consoleUrl} ({@code {host}} in it is replaced by the host name the client used, for a console bound to every
     * interface).
     */
    public Javalin create(Optional<String> consoleUrl) {
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.concurrency.useVirtualThreads = true;
            cfg.jetty.threadPool = JettyLimits.threadPool();
            cfg.http.maxRequestSize = config.maxBodyBytes();
            JettyLimits.apply(cfg.jetty, config.limits());
            cfg.events.serverStopping(producer::flush);
            cfg.events.serverStopped(this::closeOwned);
            cfg.events.serverStarted(() -> config.security().logBinding(config.host()));
            config.security()
                    .tls()
                    .map(Tls::load)
                    .ifPresent(tls -> cfg.jetty.addConnector(
                            (server, http) -> tls.connector(server, http, config.host(), config.port())));
            // with keys configured, whatever names topics or internals needs one; /health/live stays open
            for (String path : List.of("/metrics", "/openapi.json", "/events")) {
                cfg.routes.before(path, ctx -> {
                    if (ctx.method() == io.javalin.http.HandlerType.GET) {
                        auth.authenticate(ctx);
                    }
                });
            }

            cfg.routes.post("/topics/{topic}", ctx -> timed(ctx, ctx.pathParam("topic"), "/topics/{topic}"));
            config.routes().forEach((path, topic) -> cfg.routes.post(path, ctx -> timed(ctx, topic, path)));
            if (config.routes().containsKey("/somedata")) {
                cfg.routes.get("/somedata/{value}", this::somedata);
            }
            if (config.routes().containsKey("/events")) {
                cfg.routes.get("/events", this::counters);
            }
            consoleUrl.ifPresent(url -> cfg.routes.get("/", ctx -> Welcome.page(ctx, url)));
            cfg.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
            cfg.routes.get("/health/ready", this::ready);
            cfg.routes.get("/metrics", this::scrape);
            byte[] openApi = OpenApi.document(config);
            cfg.routes.get(
                    "/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));

            cfg.routes.exception(ApiProblem.class, (e, ctx) -> problem(ctx, e));
            cfg.routes.exception(
                    HttpResponseException.class,
                    (e, ctx) -> problem(
                            ctx,
                            ApiProblem.of(
                                    e.getStatus(),
                                    reason(e.getStatus()),
                                    "the request was refused: " + reason(e.getStatus()))));
            cfg.routes.exception(org.eclipse.jetty.http.BadMessageException.class, (e, ctx) -> {
                // Jetty's verdict on the request (bad query encoding, too slow, ...): the client's fault, never a 5xx
                int status = e.getCode() >= 400 && e.getCode() < 500 ? e.getCode() : 400;
                problem(ctx, ApiProblem.of(status, reason(status), ErrorPages.detail(status)));
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                problem(ctx, ApiProblem.of(500, "Internal Server Error", "unexpected error; see the server log"));
            });
            cfg.routes.error(404, ctx -> {
                if (!isProblem(ctx)) {
                    problem(ctx, ApiProblem.of(404, "Not Found", "no route for " + ctx.method() + " " + ctx.path()));
                }
            });
        });
    }

    private void timed(Context ctx, String topic, String route) {
        long start = System.nanoTime();
        int status = 500;
        try {
            ingest(ctx, topic);
            status = 200;
        } catch (ApiProblem p) {
            status = p.status();
            throw p;
        } finally {
            metrics.request(route, topic, status, System.nanoTime() - start);
        }
    }

    private void ingest(Context ctx, String topic) {
        Optional<ApiKey> caller = authorizeAndResolve(ctx, topic);
        var pinned = ApiAuth.pin(caller, query(ctx), metaHeaders(ctx)); // tenant variables from the key (403)
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            throw tooLarge();
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
            ctx.status(200).contentType("application/json").result(json(deliveries));
        }
    }

    /** Seed 002's {@code GET /somedata/<value>?number=N}: publishes {@code {"0":value,...}} and returns it. */
    private void somedata(Context ctx) {
        String topic = config.routes().get("/somedata");
        long start = System.nanoTime();
        int status = 500;
        try {
            authorizeAndResolve(ctx, topic);
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
            var reserved = limiter.acquire(estimate);
            byte[] bytes;
            List<PendingEvent> events;
            try {
                bytes = json(data);
                events = parser.parse(
                        topic,
                        new IncomingBody(
                                Optional.of("application/json"),
                                bytes,
                                Map.of(),
                                Map.of(),
                                Optional.ofNullable(ctx.header("Idempotency-Key"))));
                schemas.validate(topic, events);
            } catch (RuntimeException e) {
                reserved.close();
                throw e;
            }
            try (var permit = reserved) {
                List<Delivery> deliveries = publisher.publish(topic, events);
                metrics.accepted(topic, 1, bytes.length);
                var reply = new LinkedHashMap<String, Object>();
                reply.put("data", data);
                reply.put("delivery", deliveries.get(0));
                ctx.status(200).contentType("application/json").result(json(reply));
            }
            status = 200;
        } catch (ApiProblem p) {
            status = p.status();
            throw p;
        } finally {
            metrics.request("/somedata/{value}", topic, status, System.nanoTime() - start);
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
            ctx.contentType("application/json").result(json(reply));
        }
    }

    private void ready(Context ctx) {
        var result = readyCache.get(); // cached: a flood of probes costs one broker round trip per second
        if (result.ready()) {
            ctx.json(Map.of("status", "UP"));
        } else if (!auth.mayReadDetails(ctx)) {
            problem(ctx, ApiProblem.retryLater(503, "Service Unavailable", "not ready", config.retryAfterSeconds()));
        } else {
            problem(
                    ctx,
                    ApiProblem.retryLater(
                                    503,
                                    "Service Unavailable",
                                    String.join("; ", result.problems()),
                                    config.retryAfterSeconds())
                            .with("problems", result.problems()));
        }
    }

    private void scrape(Context ctx) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(prometheus.scrape());
        } else {
            throw ApiProblem.of(404, "Not Found", "metrics are not exposed by this meter registry");
        }
    }

    /** Key (401), topic (404, 403) and the key's rate (429): see {@link ApiAuth}. */
    private Optional<ApiKey> authorizeAndResolve(Context ctx, String topic) {
        return auth.authorize(ctx, topic);
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

    private ApiProblem tooLarge() {
        return BoundedBody.tooLarge(config.maxBodyBytes());
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

    private void problem(Context ctx, ApiProblem p) {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        body.put("instance", ctx.path());
        p.extensions().forEach(body::putIfAbsent);
        p.retryAfterSeconds().ifPresent(s -> ctx.header("Retry-After", Long.toString(s)));
        ctx.status(p.status()).contentType(PROBLEM_JSON).result(json(body));
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(PROBLEM_JSON);
    }

    private static byte[] json(Object value) {
        try {
            return BodyParser.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String reason(int status) {
        var s = io.javalin.http.HttpStatus.forStatus(status);
        return s.getMessage();
    }

    private void closeOwned() {
        var failures = new ArrayList<Exception>();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        failures.forEach(e -> LOG.warn("closing a Kafka client failed", e));
    }
}
