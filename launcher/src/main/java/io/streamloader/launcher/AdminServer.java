package io.streamloader.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamloader.api.CachedCheck;
import io.streamloader.api.Tls;
import io.streamloader.core.config.AdminSettings;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.launcher.console.ConsoleAssets;
import io.streamloader.launcher.console.DeadLetterStore;
import io.streamloader.launcher.console.FlowViews;
import io.streamloader.launcher.console.FlowsConfig;
import io.streamloader.launcher.console.Overview;
import io.streamloader.launcher.console.ReplayLedger;
import io.streamloader.launcher.console.Replayer;
import io.streamloader.rollup.ClickRollupProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /health/live}, {@code /health/ready}, {@code /metrics} and the operations console ({@code /}, {@link
 * ConsoleRoutes}: overview, dead letters and their replay) of a {@code streamloader run} process. Ready means
 * Kafka answers, every sink runner is {@code RUNNING} and its store answers a health check (all asked at the same
 * time, so that the answer comes within one store timeout, 3 s); the body lists each runner's state, its store's and
 * why, as JSON.
 *
 * <p>Cheap whatever the request rate: one readiness answer is reused for {@code admin.health-cache} and at most one
 * round of probes runs at a time ({@link CachedCheck}). With {@code admin.keys}, {@code /metrics} needs a key with
 * scope {@code read} (401 without a valid key, 403 without the scope) and the readiness body keeps its detail for such
 * a key or a loopback caller; anyone else gets the bare status. {@code /health/live} is always open. HTTPS when {@code
 * admin.tls} is set (client certificates required with {@code client-ca}).
 */
final class AdminServer implements AutoCloseable {
    private static final java.time.Duration STORE_CHECK_TIMEOUT = java.time.Duration.ofSeconds(3);
    /** How long one dead-letter listing or replay scan may read. */
    static final java.time.Duration DEAD_LETTER_READ_TIMEOUT = java.time.Duration.ofSeconds(10);
    /** How long one flows view may read its topic. */
    static final java.time.Duration FLOWS_READ_TIMEOUT = java.time.Duration.ofSeconds(5);

    private final HttpServer server;
    private final AdminAuth auth;

    /** Without flows views. */
    AdminServer(
            AdminSettings settings,
            PrometheusMeterRegistry registry,
            List<SinkRunner> runners,
            List<ClickRollupProcessor> processors,
            Supplier<String> kafkaProblem,
            Map<String, Object> kafka)
            throws IOException {
        this(settings, registry, runners, processors, kafkaProblem, kafka, new FlowsConfig(List.of()));
    }

    /**
     * @param kafka client properties for reading dead-letter topics and replaying letters
     * @param flows the console's flows views ({@code console.flows})
     */
    AdminServer(
            AdminSettings settings,
            PrometheusMeterRegistry registry,
            List<SinkRunner> runners,
            List<ClickRollupProcessor> processors,
            Supplier<String> kafkaProblem,
            Map<String, Object> kafka,
            FlowsConfig flows)
            throws IOException {
        this.auth = new AdminAuth(settings);
        var address = new InetSocketAddress(settings.host(), settings.port());
        if (settings.tls().isPresent()) {
            Tls tls = Tls.load(settings.tls().get());
            var https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()) {
                @Override
                public void configure(HttpsParameters params) {
                    var ssl = getSSLContext().getDefaultSSLParameters();
                    ssl.setNeedClientAuth(tls.mutual());
                    params.setSSLParameters(ssl);
                }
            });
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        CachedCheck<Readiness> readiness = new CachedCheck<>(
                () -> ready(runners, processors, kafkaProblem),
                settings.healthCache(),
                STORE_CHECK_TIMEOUT.plusSeconds(1),
                why -> new Readiness(false, "{\"status\":\"DOWN\",\"reason\":" + quote(why) + "}"));
        server.createContext("/health/live", ex -> send(ex, 200, "application/json", "{\"status\":\"UP\"}"));
        server.createContext("/health/ready", ex -> {
            Readiness r = readiness.get();
            String body = auth.mayRead(ex) ? r.body() : "{\"status\":\"" + (r.ready() ? "UP" : "DOWN") + "\"}";
            send(ex, r.ready() ? 200 : 503, "application/json", body);
        });
        server.createContext("/metrics", ex -> {
            if (auth.authorize(ex, AdminSettings.Scope.READ)) {
                send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            }
        });
        var overview = new Overview(
                registry,
                runners.stream()
                        .map(r -> new Overview.SinkView(r.name(), r::health))
                        .toList(),
                processors.stream()
                        .map(p -> new Overview.ProcessorView(p.name(), p::health))
                        .toList(),
                () -> readiness.get().body());
        var letters = new DeadLetterStore(kafka, DEAD_LETTER_READ_TIMEOUT);
        new ConsoleRoutes(
                        auth,
                        runners.stream().map(SinkRunner::settings).toList(),
                        overview,
                        letters,
                        new Replayer(letters, kafka, new ReplayLedger()),
                        ConsoleAssets.load(),
                        new FlowViews(flows, kafka, FLOWS_READ_TIMEOUT))
                .register(server);
    }

    /** A readiness answer: the status and the detailed body. */
    record Readiness(boolean ready, String body) {}

    /** The bound address (the host as resolved, and the port). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    static void problem(HttpExchange ex, int status, String title, String detail, String field) throws IOException {
        send(
                ex,
                status,
                "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":" + quote(title) + ",\"status\":" + status + ",\"detail\":"
                        + quote(detail) + ",\"field\":" + quote(field) + "}");
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static Readiness ready(
            List<SinkRunner> runners, List<ClickRollupProcessor> processors, Supplier<String> kafkaProblem) {
        StringBuilder body = new StringBuilder("{\"sinks\":{");
        boolean ready = true;
        List<RunnerHealth> healths = runners.stream().map(SinkRunner::health).toList();
        // the stores and Kafka are asked at once: a probe answers within one timeout however many of them are down
        List<Supplier<String>> checks = new ArrayList<>();
        for (int i = 0; i < runners.size(); i++) {
            SinkRunner runner = runners.get(i);
            checks.add(
                    healths.get(i).state() == RunnerHealth.State.RUNNING
                            ? () -> runner.checkStore(STORE_CHECK_TIMEOUT).orElse("")
                            : () -> "");
        }
        checks.add(kafkaProblem);
        List<String> answers = all(checks);
        List<String> stores = answers.subList(0, runners.size());
        String kafka = answers.getLast();
        for (int i = 0; i < runners.size(); i++) {
            RunnerHealth health = healths.get(i);
            String store = stores.get(i);
            ready &= health.isHealthy() && store.isEmpty();
            body.append(i == 0 ? "" : ",")
                    .append(quote(runners.get(i).name()))
                    .append(":{\"state\":")
                    .append(quote(health.state().name()))
                    .append(",\"store\":")
                    .append(quote(store.isEmpty() ? "UP" : store))
                    .append(",\"detail\":")
                    .append(quote(health.detail()))
                    .append(",\"since\":")
                    .append(quote(health.since().toString()))
                    .append('}');
        }
        body.append("},\"processors\":{");
        for (int i = 0; i < processors.size(); i++) {
            RunnerHealth health = processors.get(i).health();
            ready &= health.isHealthy();
            body.append(i == 0 ? "" : ",")
                    .append(quote(processors.get(i).name()))
                    .append(":{\"state\":")
                    .append(quote(health.state().name()))
                    .append(",\"detail\":")
                    .append(quote(health.detail()))
                    .append('}');
        }
        ready &= kafka.isEmpty();
        body.append("},\"kafka\":")
                .append(quote(kafka.isEmpty() ? "UP" : kafka))
                .append(",\"status\":")
                .append(quote(ready ? "UP" : "DOWN"))
                .append('}');
        return new Readiness(ready, body.toString());
    }

    /** Runs the checks at the same time, each on a virtual thread, and returns their answers in order. */
    static List<String> all(List<Supplier<String>> checks) {
        List<CompletableFuture<String>> running = checks.stream()
                .map(check -> CompletableFuture.supplyAsync(check, Thread::startVirtualThread))
                .toList();
        return running.stream().map(CompletableFuture::join).toList();
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
