package io.streamloader.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer API as a Javalin app: {@link #create()} returns it configured but not started. This class wires the
 * parts and owns start and stop:
 *
 * <ol>
 *   <li>{@link AccessGate}: API key, topic and rate checks as {@code before} handlers (401, 404, 403, 429).
 *   <li>{@link IngestRoutes}: the topic routes, from the request body to the reply saying where each event landed.
 *   <li>{@link DemoRoutes}: the seed flows' extra routes and the welcome page.
 *   <li>{@link ProblemResponses}: every failure as {@code application/problem+json}.
 *   <li>Here: {@code /health/live}, {@code /health/ready}, {@code /metrics}, {@code /openapi.json}, and closing the
 *       Kafka clients this API owns when the server stops.
 * </ol>
 *
 * <p>The Kafka record key is the event id unless {@code api.key-field} names a field (then its value, falling back to
 * the id): ids are unique, so by default events spread over partitions; a key field keeps one entity's events in order.
 */
public final class ProducerApi {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerApi.class);

    private final ApiConfig config;
    private final Producer<byte[], byte[]> producer;
    private final MeterRegistry registry;
    private final List<AutoCloseable> owned;
    private final ApiAuth auth;
    private final IngestRoutes ingest;
    private final DemoRoutes demo;
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
        this.owned = List.copyOf(owned);
        var topics = config.allTopics();
        var parser = new BodyParser(config);
        var schemas = TopicSchemas.load(config.schemas());
        var limiter = new InFlightLimiter(config.maxInFlightBytes(), config.retryAfterSeconds());
        var publisher = new EventPublisher(producer, config.requestTimeout(), config.retryAfterSeconds());
        var metrics = new ApiMetrics(registry, topics, limiter);
        // protected topics are refused at config time; filtering them again keeps a 404 from ever naming one
        this.auth = new ApiAuth(
                config.security(),
                topics.stream()
                        .filter(t ->
                                TopicAccess.refusal(t, config.protectedTopics()).isEmpty())
                        .collect(Collectors.toSet()));
        this.ingest = new IngestRoutes(config, parser, schemas, limiter, publisher, metrics);
        this.demo = new DemoRoutes(config, parser, schemas, limiter, publisher, metrics);
        this.readyCache = new CachedCheck<>(
                readiness::check, Duration.ofSeconds(1), Duration.ofSeconds(3), ReadinessProbe.Result::down);
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
            var probe = new KafkaReadiness(admin, config.allTopics(), Duration.ofSeconds(2));
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
            var gate = new AccessGate(auth);
            gate.guardReads(cfg.routes);
            ingest.install(cfg.routes, gate);
            demo.install(cfg.routes, gate, consoleUrl);
            cfg.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
            cfg.routes.get("/health/ready", this::ready);
            cfg.routes.get("/metrics", this::scrape);
            byte[] openApi = OpenApi.document(config);
            cfg.routes.get(
                    "/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
            ProblemResponses.install(cfg);
        });
    }

    private void ready(Context ctx) {
        var result = readyCache.get(); // cached: a flood of probes costs one broker round trip per second
        if (result.ready()) {
            ctx.json(Map.of("status", "UP"));
        } else if (!auth.mayReadDetails(ctx)) {
            ProblemResponses.send(
                    ctx, ApiProblem.retryLater(503, "Service Unavailable", "not ready", config.retryAfterSeconds()));
        } else {
            ProblemResponses.send(
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
