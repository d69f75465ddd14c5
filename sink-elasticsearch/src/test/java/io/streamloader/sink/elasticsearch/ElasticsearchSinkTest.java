package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FailureKind;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.WriteResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Instant;
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
    private volatile String wholeRequestBody = null;
    private volatile int maxContentLength = Integer.MAX_VALUE;
    private HttpServer server;
    private ElasticsearchWriter sink;
    private ElasticsearchSink runnerSink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
            runnerSink.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private ElasticsearchWriter start(Map<String, String> settings) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/_bulk", this::bulk);
        server.start();
        Map<String, String> raw = new HashMap<>(settings);
        raw.put("urls", "http://127.0.0.1:" + server.getAddress().getPort());
        return open(raw);
    }

    private ElasticsearchWriter open(Map<String, String> raw) {
        SinkContext context = new SinkContext("search", raw);
        ElasticsearchSinkConfig config = ElasticsearchSinkConfig.from(context);
        runnerSink = new ElasticsearchSink("search", config, Connections.open(context, config));
        sink = (ElasticsearchWriter) runnerSink.newWriter();
        return sink;
    }

    /** Answers every document containing "bad" with a mapping error and "busy" with 429; the rest succeed. */
    private void bulk(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            byte[] request = exchange.getRequestBody().readAllBytes();
            String[] lines = new String(request, UTF_8).split("\n");
            if (request.length > maxContentLength) {
                refuse(exchange, 413, "");
                return;
            }
            for (int i = 1; i < lines.length; i += 2) {
                if (lines[i].contains("poison")) { // as Elasticsearch refuses a request with an invalid action
                    refuse(
                            exchange,
                            400,
                            "{\"error\":{\"type\":\"action_request_validation_exception\",\"reason\":"
                                    + "\"Validation Failed: 1: poisoned;\"},\"status\":400}");
                    return;
                }
            }
            requestBytes.add(request.length);
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
            byte[] body = (wholeRequestBody != null
                            ? wholeRequestBody
                            : "{\"errors\":" + errors + ",\"items\":[" + items + "]}")
                    .getBytes(UTF_8);
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

    private static void refuse(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
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
        assertThat(byId.get("s-2").kind()).isEqualTo(FailureKind.RETRIABLE);
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
    void everyDocumentRefusedTransientlyIsAStoreWideRetryButOneAloneIsItsOwnFailure() throws IOException {
        start(Map.of());
        List<Event> allBusy = IntStream.range(0, 6)
                .mapToObj(i -> TestingEvents.event("b-" + i, "{\"n\":\"busy\"}"))
                .toList();
        assertThatThrownBy(() -> sink.write(allBusy))
                .isInstanceOf(RetriableSinkException.class)
                .hasMessageContaining("refused all 6 documents (es_rejected_execution_exception)")
                .hasMessageContaining("queue full");
        WriteResult one = sink.write(allBusy.subList(0, 1));
        assertThat(one.failures())
                .singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(FailureKind.RETRIABLE));
    }

    @Test
    void refusedCredentialsAreAFatalStoreFailureNamingTheKeys() throws IOException {
        start(Map.of());
        wholeRequestStatus = 401;
        assertThatThrownBy(() -> sink.write(events(5)))
                .isInstanceOf(FatalSinkException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("sinks.search.config.username/password or api-key");
        wholeRequestStatus = 403;
        assertThatThrownBy(() -> sink.write(events(5)))
                .isInstanceOf(FatalSinkException.class)
                .hasMessageContaining("403");
    }

    @Test
    void anyOtherWholeRequestAnswerIsAFatalStoreFailureNamingTheUrls() throws IOException {
        start(Map.of());
        wholeRequestStatus = 404;
        assertThatThrownBy(() -> sink.write(events(5)))
                .isInstanceOf(FatalSinkException.class)
                .hasMessageContaining("404")
                .hasMessageContaining("sinks.search.config.urls");
    }

    @Test
    void anAnswerThatIsNotABulkResponseForTheRequestIsAFatalStoreFailure() throws IOException {
        start(Map.of());
        wholeRequestBody = "{\"errors\":true,\"items\":[{\"index\":{\"status\":201}}]}";
        assertThatThrownBy(() -> sink.write(events(5)))
                .isInstanceOf(FatalSinkException.class)
                .hasMessageContaining("1 items for 5 actions");
        wholeRequestBody = "<html>proxy error</html>";
        assertThatThrownBy(() -> sink.write(events(5)))
                .isInstanceOf(FatalSinkException.class)
                .hasMessageContaining("unreadable bulk response");
    }

    @Test
    void aRequestRefusedAsAWholeIsSplitUntilTheRefusedDocumentStandsAlone() throws IOException {
        start(Map.of("bulk.max-docs", "64"));
        List<Event> batch = events(100, "{\"n\":\"poison\"}", "{\"n\":\"bad\"}");
        WriteResult result = sink.write(batch);
        assertThat(result.failures()).hasSize(2);
        EventFailure poisoned = result.failures().stream()
                .filter(f -> f.event().id().equals("s-0"))
                .findFirst()
                .orElseThrow();
        assertThat(poisoned.event()).isSameAs(batch.get(3));
        assertThat(poisoned.kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(poisoned.errorClass()).isEqualTo("action_request_validation_exception");
        assertThat(poisoned.reason())
                .isEqualTo("Elasticsearch refused a bulk request holding only this document: 400"
                        + " action_request_validation_exception: Validation Failed: 1: poisoned;");
        assertThat(result.failures())
                .filteredOn(f -> f.event().id().equals("s-1"))
                .singleElement()
                .satisfies(f -> assertThat(f.errorClass()).isEqualTo("mapper_parsing_exception"));
        List<String> accepted = requests.stream().flatMap(List::stream).toList();
        assertThat(accepted)
                .as("every other document accepted once")
                .hasSize(99)
                .doesNotHaveDuplicates();
        assertThat(accepted).noneMatch(d -> d.contains("poison"));
    }

    @Test
    void aDocumentOverTheClustersContentLengthFailsAloneAndTheRestIsSentInSmallerRequests() throws IOException {
        start(Map.of());
        maxContentLength = 4000;
        List<Event> batch = events(60, "{\"n\":\"" + "y".repeat(5000) + "\"}");
        WriteResult result = sink.write(batch);
        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.event()).isSameAs(batch.get(3));
            assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(f.errorClass()).isEqualTo("request_entity_too_large");
            assertThat(f.reason()).contains("5008 bytes").contains("http.max_content_length");
        });
        assertThat(requests.stream().mapToInt(List::size).sum()).isEqualTo(59);
        assertThat(requestBytes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4000));
    }

    @Test
    void twoEventsWithTheSameIdAreTriagedByPositionSoTheEarlierIsNotSkippedWhenTheLaterFails() throws IOException {
        start(Map.of());
        Event earlier = TestingEvents.event("same", "{\"n\":1}");
        Event later = TestingEvents.event("same", "{\"n\":\"bad\"}");
        WriteResult result = sink.write(List.of(earlier, later));
        assertThat(result.failures())
                .singleElement()
                .satisfies(f -> assertThat(f.event()).isSameAs(later));
        assertThat(requests.getFirst()).containsExactly("{\"n\":1}", "{\"n\":\"bad\"}");
    }

    @Test
    void valuesThatAreNotJsonObjectsFailAloneWithAReasonAndAreNotSent() throws IOException {
        start(Map.of());
        List<Event> batch = events(
                40,
                "[\"u1\",\"2023-07-01T10:00:00\",\"https://a.example/x\"]",
                "42",
                "\"just a string\"",
                " \t\r\n ",
                "\u0000{}",
                "null");
        Map<String, EventFailure> byId = new HashMap<>();
        sink.write(batch).failures().forEach(f -> byId.put(f.event().id(), f));
        assertThat(byId).containsOnlyKeys("s-0", "s-1", "s-2", "s-3", "s-4", "s-5");
        assertThat(byId.values()).allSatisfy(f -> {
            assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(f.errorClass()).isEqualTo("not_json");
        });
        assertThat(byId.get("s-0").reason()).contains("JSON array, not a JSON object");
        assertThat(byId.get("s-1").reason()).contains("scalar");
        assertThat(byId.get("s-3").reason()).contains("only whitespace");
        assertThat(byId.get("s-4").reason()).contains("0x00");
        assertThat(requests.stream().mapToInt(List::size).sum()).isEqualTo(34);
    }

    @Test
    void aRawLineBreakInsideAStringIsRefusedNotRepairedAndAnEmptyRequestIsNeverSent() throws IOException {
        start(Map.of("bulk.max-docs", "1"));
        Event broken = TestingEvents.event("b", "{\"s\":\"line1\nline2\"}");
        WriteResult result = sink.write(List.of(broken));
        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.event()).isSameAs(broken);
            assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(f.errorClass()).isEqualTo("not_json");
            assertThat(f.reason()).startsWith("value is not one JSON object: ").contains("CTRL-CHAR");
        });
        assertThat(requests).isEmpty();
        Event pretty = TestingEvents.event("p", "{\r\n  \"n\": 1\n}");
        assertThat(sink.write(List.of(pretty, broken, TestingEvents.event("q", "{}")))
                        .failures())
                .extracting(f -> f.event().id())
                .containsExactly("b");
        assertThat(requests).containsExactlyInAnyOrder(List.of("{    \"n\": 1 }"), List.of("{}"));
    }

    @Test
    void anExceptionWhileBuildingOneEventsActionIsThatEventsPermanentFailure() throws IOException {
        start(Map.of("index", "events-{yyyy}"));
        Event outOfRange = Event.builder()
                .id("far")
                .topic("clicks")
                .partition(0)
                .offset(7)
                .timestamp(Instant.MAX)
                .value("{\"n\":1}".getBytes(UTF_8))
                .build();
        List<Event> batch = new ArrayList<>(events(10));
        batch.set(4, outOfRange);
        WriteResult result = sink.write(batch);
        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.event()).isSameAs(outOfRange);
            assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(f.errorClass()).isEqualTo("java.time.DateTimeException");
            assertThat(f.reason())
                    .startsWith("cannot build the bulk action for this event: java.time.DateTimeException");
        });
        assertThat(requests.stream().mapToInt(List::size).sum()).isEqualTo(9);
    }

    @Test
    void withTimestampEnrichmentEveryValueThatIsNotOneJsonObjectFailsAlone() throws IOException {
        start(Map.of("timestamp.enabled", "true"));
        List<Event> batch = events(
                40,
                "{\"a\":1} trailing",
                "{\"a\":",
                "[" + "[".repeat(5000) + "]".repeat(5000) + "]",
                "{\"a\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5001),
                "{\"a\":\"\u0000\"}");
        Map<String, EventFailure> byId = new HashMap<>();
        sink.write(batch).failures().forEach(f -> byId.put(f.event().id(), f));
        assertThat(byId).containsOnlyKeys("s-0", "s-1", "s-2", "s-3", "s-4");
        assertThat(byId.values()).allSatisfy(f -> assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT));
        assertThat(requests.stream().mapToInt(List::size).sum()).isEqualTo(35);
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
        assertThatThrownBy(runnerSink::checkHealth).isInstanceOf(IOException.class);
    }

    @Test
    void timestampEnrichmentRewritesOnlyThatField() throws IOException {
        start(Map.of("timestamp.enabled", "true"));
        sink.write(List.of(TestingEvents.event("a", "{\"user\":\"alice\",\"timestamp\":1234567890}")));
        assertThat(requests.getFirst().getFirst()).matches("\\{\"user\":\"alice\",\"timestamp\":\"20\\d\\d-.*Z\"}");
    }
}
