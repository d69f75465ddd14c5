package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests Jetty refuses before any route runs get our problem JSON, never Jetty's HTML page or message; sent over raw
 * sockets, as a hostile client would.
 */
class ErrorPagesTest {

    /** Status line and body of one raw HTTP/1.1 exchange. */
    record Raw(int status, String head, String body) {}

    static Raw exchange(int port, byte[] request) throws IOException {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before reading all of an oversized request
            }
            InputStream in = socket.getInputStream();
            var buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            try {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    buffer.write(chunk, 0, n);
                }
            } catch (IOException e) {
                // a reset after the reply still leaves the reply in the buffer
            }
            String text = buffer.toString(StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            int status = head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new Raw(status, head, body);
        }
    }

    static void assertProblem(Raw r, int status) {
        assertThat(r.status()).as(r.head()).isEqualTo(status);
        assertThat(r.head().toLowerCase()).contains("content-type: application/problem+json");
        assertNoInternals(r.body());
        assertThat(r.body()).contains("\"status\":" + status);
    }

    static void assertNoInternals(String body) {
        assertThat(body)
                .doesNotContain("Exception")
                .doesNotContain("at io.")
                .doesNotContain("org.eclipse")
                .doesNotContainIgnoringCase("jetty")
                .doesNotContainIgnoringCase("kafka")
                .doesNotContain("<html");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void jettysOwnRefusalsAreProblemJson() {
        var api = new TestingApi(TestingApi.config(), true);
        api.run((server, client) -> {
            int port = server.port();
            String host = "Host: 127.0.0.1\r\n";
            assertProblem(
                    exchange(
                            port,
                            ascii("GET /health/live HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(20_000)
                                    + "\r\n\r\n")),
                    431);
            assertProblem(exchange(port, ascii("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\n" + host + "\r\n")), 414);
            assertProblem(exchange(port, ascii("GARBAGE\r\n\r\n")), 400);
            assertProblem(exchange(port, ascii("GET /topics/%zz HTTP/1.1\r\n" + host + "\r\n")), 400);
            Raw badUtf8 = exchange(port, ascii("GET /topics/%C3%28 HTTP/1.1\r\n" + host + "\r\n"));
            assertThat(badUtf8.status()).isBetween(400, 404);
            assertProblem(badUtf8, badUtf8.status());
            Raw badQuery = exchange(
                    port,
                    ascii("POST /topics/clicks?a=%zz&b=%C3%28 HTTP/1.1\r\n" + host
                            + "Connection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"));
            assertThat(badQuery.status()).isBetween(200, 499);
            assertNoInternals(badQuery.body());
            assertProblem(
                    exchange(
                            port,
                            ascii(
                                    "POST /topics/clicks HTTP/1.1\r\n" + host
                                            + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}")),
                    400);
            assertProblem(
                    exchange(
                            port,
                            ascii(
                                    "POST /topics/clicks HTTP/1.1\r\n" + host
                                            + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")),
                    400);
            assertThat(client.get("/health/live").code()).isEqualTo(200);
        });
    }

    @Test
    void chunkedBodyPastTheCapIs413AndTheServerLives() {
        var api = new TestingApi(TestingApi.config(Map.of("max-body-bytes", 10_000)), true);
        api.run((server, client) -> {
            var request = new StringBuilder("POST /topics/clicks HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n{\"a\":\"\r\n");
            for (int i = 0; i < 40; i++) { // one long string: valid JSON until the cap
                request.append("3e8\r\n").append("x".repeat(1000)).append("\r\n");
            }
            request.append("0\r\n\r\n");
            Raw r = exchange(server.port(), ascii(request.toString()));
            assertProblem(r, 413);
            assertThat(r.body()).contains("api.max-body-bytes");
            assertThat(api.producer.history()).isEmpty();
            assertThat(client.get("/health/live").code()).isEqualTo(200);
        });
    }

    @Test
    void aSlowSenderIsCutByTheIdleTimeout() {
        var limits = new RequestLimits(5000, 1000, 64, 100, Duration.ofMillis(500), 1024);
        var api = new TestingApi(TestingApi.config().withLimits(limits), true);
        api.run((server, client) -> {
            try (var socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream()
                        .write(ascii("POST /topics/clicks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 1000\r\n\r\n{\"a\":"));
                long start = System.nanoTime();
                // the server answers or closes on its own, well before the client's 10 s read timeout
                byte[] reply = socket.getInputStream().readAllBytes();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                String text = new String(reply, StandardCharsets.ISO_8859_1);
                if (!text.isEmpty()) {
                    assertThat(text).doesNotContain("org.eclipse").doesNotContain("Exception");
                }
            } catch (java.net.SocketException e) {
                // a reset is also a cut connection
            }
            assertThat(api.producer.history()).isEmpty();
        });
    }

    @Test
    void problemBodiesAreStaticTextPerStatus() {
        for (int status : List.of(400, 404, 405, 408, 413, 414, 431, 500)) {
            String body = new String(ErrorPages.body(status), StandardCharsets.UTF_8);
            assertThat(BodyParser.read(body.getBytes(StandardCharsets.UTF_8), 0)
                            .get("status")
                            .asInt())
                    .isEqualTo(status);
            assertNoInternals(body);
        }
    }
}
