package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FailureKind;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.WriteResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sink's request logic against a fake {@code _bulk} endpoint (JDK HTTP server): splitting, bounded concurrency,
 * mapping items back to events across requests, and whole-request failures. Real Elasticsearch is in the ITs.
 */
class ElasticsearchSinkTest {
    private final List<List<String>> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> requestBytes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile int wholeRequestStatus = 200;
    private HttpServer server;
    private ElasticsearchSink sink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private ElasticsearchSink start(Map<String, String> settings) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/_bulk", this::bulk);
        server.start();
        Map<String, String> raw = new HashMap<>(settings);
        raw.put("urls", "http://127.0.0.1:" + server.getAddress().getPort());
        return open(raw);
    }

    private ElasticsearchSink open(Map<String, String> raw) {
        SinkContext context = new SinkContext("search", raw);
        ElasticsearchSinkConfig config = ElasticsearchSinkConfig.from(context);
        sink = new ElasticsearchSink("search", config, Connections.open(context, config));
        return sink;
    }

    /** Answers every document containing "bad" with a mapping error and "busy" with 429; the rest succeed. */
    private void bulk(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            byte[] request = exchange.getRequestBody().readAllBytes();
            requestBytes.add(request.length);
            String[] lines = new String(request, UTF_8).split("\n");
            List<String> docs = new ArrayList<>();
            StringBuilder items = new StringBuilder();
            boolean errors = false;
            for (int i = 1; i < lines.length; i += 2) {
                docs.add(lines[i]);
                items.append(items.isEmpty() ? "" : ",");
                if (lines[i].contains("bad")) {
                    errors = true;
                    items.append("{\"index\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\","
                            + "\"reason\":\"failed to parse field [n]\"}}}");
                } else if (lines[i].contains("busy")) {
                    errors = true;
                    items.append("{\"index\":{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\","
                            + "\"reason\":\"queue full\"}}}");
                } else {
                    items.append("{\"index\":{\"status\":201}}");
                }
            }
            requests.add(docs);
            Thread.sleep(50);
            byte[] body = ("{\"errors\":" + errors + ",\"items\":[" + items + "]}").getBytes(UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(wholeRequestStatus, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
        }
    }

    private static List<Event> events(int n, String... specials) {
        List<Event> out = new ArrayList<>(IntStream.range(0, n)
                .mapToObj(i -> TestingEvents.event("e-" + i, "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(80) + "\"}"))
                .toList());
        for (int i = 0; i < specials.length; i++) {
            out.set(i * 7 + 3, TestingEvents.event("s-" + i, specials[i]));
        }
        return out;
    }

    @Test
    void splitsByDocsAndSendsABoundedNumberAtOnce() throws IOException {
        start(Map.of("bulk.max-docs", "10", "bulk.max-in-flight", "3"));
        assertThat(sink.write(events(95)).isSuccess()).isTrue();
        assertThat(requests).hasSize(10);
        assertThat(requests.stream().mapToInt(List::size).sum()).isEqualTo(95);
        assertThat(maxInFlight.get()).isBetween(2, 3);
    }

    @Test
    void splitsByBytes() throws IOException {
        start(Map.of("bulk.max-bytes", "2KiB"));
        sink.write(events(50));
        assertThat(requestBytes).hasSize(4).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2048));
        assertThat(requestBytes.stream().filter(n -> n > 2048 - 160))
                .as("full requests")
                .hasSize(3);
        assertThat(requests.stream().mapToInt(List::size).sum()).isEqualTo(50);
    }

    @Test
    void failedItemsAreMappedToTheirOwnEventsAcrossRequests() throws IOException {
        start(Map.of("bulk.max-docs", "4"));
        List<Event> batch =
                events(40, "{\"n\":\"bad\"}", "[\"not an object\"]", "{\"n\":\"busy\"}", "", "{\"n\":\"bad again\"}");
        WriteResult result = sink.write(batch);
        Map<String, EventFailure> byId = new HashMap<>();
        result.failures().forEach(f -> byId.put(f.event().id(), f));
        assertThat(byId).containsOnlyKeys("s-0", "s-1", "s-2", "s-3", "s-4");
        assertThat(byId.get("s-0").kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(byId.get("s-0").reason()).contains("mapper_parsing_exception: failed to parse field [n]");
        assertThat(byId.get("s-1").errorClass()).isEqualTo("not_json");
        assertThat(byId.get("s-2").kind()).isEqualTo(FailureKind.RETRYABLE);
        assertThat(byId.get("s-3").errorClass()).isEqualTo("empty_value");
        assertThat(byId.get("s-4").event()).isSameAs(batch.get(31));
        assertThat(requests.stream().mapToInt(List::size).sum())
                .as("local rejects are not sent")
                .isEqualTo(38);
    }

    @Test
    void wholeRequestOverloadRetriesTheBatch() throws IOException {
        start(Map.of());
        wholeRequestStatus = 503;
        assertThatThrownBy(() -> sink.write(events(5))).isInstanceOf(RetriableSinkException.class);
        wholeRequestStatus = 429;
        assertThatThrownBy(() -> sink.write(events(5))).isInstanceOf(RetriableSinkException.class);
    }

    @Test
    void refusedCredentialsStopTheRunner() throws IOException {
        start(Map.of());
        wholeRequestStatus = 401;
        assertThatThrownBy(() -> sink.write(events(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("401");
    }

    @Test
    void connectionRefusedRetriesTheBatch() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        open(Map.of("urls", "http://127.0.0.1:" + port, "connect-timeout", "1s"));
        assertThatThrownBy(() -> sink.write(events(5)))
                .isInstanceOf(RetriableSinkException.class)
                .hasMessageContaining("not reachable");
        assertThatThrownBy(sink::checkHealth).isInstanceOf(IOException.class);
    }

    @Test
    void timestampEnrichmentRewritesOnlyThatField() throws IOException {
        start(Map.of("timestamp.enabled", "true"));
        sink.write(List.of(TestingEvents.event("a", "{\"user\":\"alice\",\"timestamp\":1234567890}")));
        assertThat(requests.getFirst().getFirst()).matches("\\{\"user\":\"alice\",\"timestamp\":\"20\\d\\d-.*Z\"}");
    }
}
