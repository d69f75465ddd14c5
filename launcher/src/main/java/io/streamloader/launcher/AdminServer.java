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
import io.streamloader.rollup.ClickRollupProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} of a {@code streamloader run} process. Ready means
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
    private final HttpServer server;
    private final AdminSettings settings;

    AdminServer(
            AdminSettings settings,
            PrometheusMeterRegistry registry,
            List<SinkRunner> runners,
            List<ClickRollupProcessor> processors,
            Supplier<String> kafkaProblem)
            throws IOException {
        this.settings = settings;
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
            String body = mayRead(ex) ? r.body() : "{\"status\":\"" + (r.ready() ? "UP" : "DOWN") + "\"}";
            send(ex, r.ready() ? 200 : 503, "application/json", body);
        });
        server.createContext("/metrics", ex -> {
            if (authorizeRead(ex)) {
                send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            }
        });
    }

    /** A readiness answer: the status and the detailed body. */
    record Readiness(boolean ready, String body) {}

    /** The bound address (the host as resolved, and the port). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    /** Whether the caller may see details: no keys configured, a loopback caller, or a key with scope read. */
    private boolean mayRead(HttpExchange ex) {
        return !settings.authenticationEnabled()
                || ex.getRemoteAddress().getAddress().isLoopbackAddress()
                || key(ex).filter(k -> k.scopes().contains(AdminSettings.Scope.READ))
                        .isPresent();
    }

    /** Sends 401 or 403 and returns false unless the caller may read. */
    private boolean authorizeRead(HttpExchange ex) throws IOException {
        if (!settings.authenticationEnabled()) {
            return true;
        }
        Optional<AdminSettings.Key> key = key(ex);
        if (key.isEmpty()) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            problem(ex, 401, "Unauthorized", "missing or invalid admin key: send X-API-Key or Authorization: Bearer");
            return false;
        }
        if (!key.get().scopes().contains(AdminSettings.Scope.READ)) {
            problem(ex, 403, "Forbidden", "admin key '" + key.get().name() + "' lacks scope read");
            return false;
        }
        return true;
    }

    /** The admin key the request carries, compared in constant time with every configured one. */
    private Optional<AdminSettings.Key> key(HttpExchange ex) {
        String presented = ex.getRequestHeaders().getFirst("X-API-Key");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (presented == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = auth.substring(7);
        }
        if (presented == null || presented.isBlank()) {
            return Optional.empty();
        }
        AdminSettings.Key found = null;
        for (AdminSettings.Key k : settings.keys()) {
            if (k.secret().matches(presented.strip()) && found == null) {
                found = k;
            }
        }
        return Optional.ofNullable(found);
    }

    private static void problem(HttpExchange ex, int status, String title, String detail) throws IOException {
        send(
                ex,
                status,
                "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":" + quote(title) + ",\"status\":" + status + ",\"detail\":"
                        + quote(detail) + ",\"field\":\"X-API-Key\"}");
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

    private static String quote(String s) {
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

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
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
