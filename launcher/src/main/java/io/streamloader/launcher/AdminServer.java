package io.streamloader.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} of a {@code streamloader run} process. Ready means
 * Kafka answers, every sink runner is {@code RUNNING} and its store answers a health check (all asked at the same
 * time, so that the answer comes within one store timeout, 3 s); the body lists each runner's state, its store's and
 * why, as JSON.
 */
final class AdminServer implements AutoCloseable {
    private static final java.time.Duration STORE_CHECK_TIMEOUT = java.time.Duration.ofSeconds(3);
    private final HttpServer server;

    AdminServer(
            AdminSettings settings,
            PrometheusMeterRegistry registry,
            List<SinkRunner> runners,
            List<ClickRollupProcessor> processors,
            Supplier<String> kafkaProblem)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/health/live", ex -> send(ex, 200, "application/json", "{\"status\":\"UP\"}"));
        server.createContext("/health/ready", ex -> ready(ex, runners, processors, kafkaProblem));
        server.createContext(
                "/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void ready(
            HttpExchange exchange,
            List<SinkRunner> runners,
            List<ClickRollupProcessor> processors,
            Supplier<String> kafkaProblem)
            throws IOException {
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
        send(exchange, ready ? 200 : 503, "application/json", body.toString());
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
