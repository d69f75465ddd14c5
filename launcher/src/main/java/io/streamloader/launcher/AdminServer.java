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
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} of a {@code streamloader run} process. Ready means
 * Kafka answers, every sink runner is {@code RUNNING} and its store answers a health check; the body lists each
 * runner's state, its store's and why, as JSON.
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
        for (int i = 0; i < runners.size(); i++) {
            RunnerHealth health = runners.get(i).health();
            String store = health.state() == RunnerHealth.State.RUNNING
                    ? runners.get(i).checkStore(STORE_CHECK_TIMEOUT).orElse("")
                    : "";
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
        String kafka = kafkaProblem.get();
        ready &= kafka.isEmpty();
        body.append("},\"kafka\":")
                .append(quote(kafka.isEmpty() ? "UP" : kafka))
                .append(",\"status\":")
                .append(quote(ready ? "UP" : "DOWN"))
                .append('}');
        send(exchange, ready ? 200 : 503, "application/json", body.toString());
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
