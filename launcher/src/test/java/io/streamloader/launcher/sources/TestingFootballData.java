package io.streamloader.launcher.sources;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for football-data.org's {@code GET /v4/matches}: checks {@code X-Auth-Token}, answers the scripted
 * replies in order (then the last one again), counts requests.
 */
final class TestingFootballData implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789";

    record Reply(int status, String body, String retryAfter) {
        static Reply ok(String body) {
            return new Reply(200, body, null);
        }
    }

    private final HttpServer server;
    private final Deque<Reply> replies = new ArrayDeque<>();
    private Reply last = Reply.ok("{\"matches\":[]}");
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    TestingFootballData() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v4/matches", exchange -> {
            requests.incrementAndGet();
            Reply reply;
            if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Auth-Token"))) {
                refused.incrementAndGet();
                reply = new Reply(403, "{\"message\":\"Your API token is invalid.\",\"errorCode\":403}", null);
            } else {
                synchronized (this) {
                    if (!replies.isEmpty()) {
                        last = replies.poll();
                    }
                    reply = last;
                }
            }
            if (reply.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    synchronized TestingFootballData then(Reply reply) {
        replies.add(reply);
        return this;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v4/matches");
    }

    static String match(int id, String lastUpdated) {
        return "{\"id\":" + id + ",\"utcDate\":\"2025-03-23T15:00:00Z\",\"status\":\"FINISHED\",\"lastUpdated\":\""
                + lastUpdated + "\",\"competition\":{\"name\":\"Ligue 1\"},\"homeTeam\":{\"name\":\"Lyon\"},"
                + "\"awayTeam\":{\"name\":\"Nice\"},\"score\":{\"fullTime\":{\"home\":2,\"away\":1}}}";
    }

    static String matches(String... matches) {
        return "{\"filters\":{},\"resultSet\":{\"count\":" + matches.length + "},\"matches\":["
                + String.join(",", matches) + "]}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
