package io.streamloader.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.streamloader.core.config.AdminSettings;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.launcher.console.ConsoleAssets;
import io.streamloader.launcher.console.ConsoleJson;
import io.streamloader.launcher.console.DeadLetterStore;
import io.streamloader.launcher.console.FlowViews;
import io.streamloader.launcher.console.FlowsConfig;
import io.streamloader.launcher.console.Overview;
import io.streamloader.launcher.console.Replayer;
import io.streamloader.launcher.console.Since;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.KafkaException;

/**
 * The operations console on the admin endpoint: the page and its assets at {@code /} and {@code /console/*} (open:
 * they hold no data), {@code GET /console/api/overview} and {@code GET /console/api/dead-letters?sink=NAME&limit=N}
 * (scope {@code read}), {@code POST /console/api/dead-letters/replay} (scope {@code replay}, JSON body, same origin),
 * and the flows views (scope {@code read}): {@code GET /console/api/flows} lists them, {@code
 * /console/api/flows/view?name=NAME} answers one, {@code /console/api/flows/image?partition=P&offset=O} serves an image
 * of the images view's topic, only when its bytes' signature is an image type.
 * Every console response carries a Content-Security-Policy that allows only the endpoint's own scripts and styles.
 */
final class ConsoleRoutes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleRoutes.class);
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final int MAX_BODY = 16 * 1024;

    private final AdminAuth auth;
    private final Map<String, RunnerSettings> sinks;
    private final Overview overview;
    private final DeadLetterStore letters;
    private final Replayer replayer;
    private final ConsoleAssets assets;
    private final FlowViews flows;

    ConsoleRoutes(
            AdminAuth auth,
            List<RunnerSettings> sinks,
            Overview overview,
            DeadLetterStore letters,
            Replayer replayer,
            ConsoleAssets assets,
            FlowViews flows) {
        this.auth = auth;
        this.sinks = new java.util.LinkedHashMap<>();
        sinks.forEach(s -> this.sinks.put(s.name(), s));
        this.overview = overview;
        this.letters = letters;
        this.replayer = replayer;
        this.assets = assets;
        this.flows = flows;
    }

    void register(HttpServer server) {
        server.createContext("/", guarded("GET", this::asset));
        server.createContext("/console/api/overview", guarded("GET", ex -> {
            if (auth.authorize(ex, AdminSettings.Scope.READ)) {
                send(ex, 200, "application/json", overview.json());
            }
        }));
        server.createContext("/console/api/dead-letters", guarded("GET", this::list));
        server.createContext("/console/api/dead-letters/replay", guarded("POST", this::replay));
        server.createContext("/console/api/flows", guarded("GET", this::flows));
    }

    private void flows(HttpExchange ex) throws IOException {
        if (!auth.authorize(ex, AdminSettings.Scope.READ)) {
            return;
        }
        String path = ex.getRequestURI().getPath();
        Map<String, String> query = query(ex.getRequestURI());
        switch (path) {
            case "/console/api/flows", "/console/api/flows/" -> {
                var list = ConsoleJson.MAPPER.createArrayNode();
                for (FlowsConfig.View view : flows.views()) {
                    list.addObject()
                            .put("name", view.kind().key())
                            .put("title", view.kind().title())
                            .put("topic", view.topic());
                }
                ObjectNode body = ConsoleJson.object();
                body.set("views", list);
                send(ex, 200, "application/json", ConsoleJson.bytes(body));
            }
            case "/console/api/flows/view" -> {
                String name = query.getOrDefault("name", "");
                Optional<FlowsConfig.View> view = flows.view(name);
                if (view.isEmpty()) {
                    AdminServer.problem(
                            ex,
                            404,
                            "Not Found",
                            "no flows view named like that; views: "
                                    + flows.views().stream()
                                            .map(v -> v.kind().key())
                                            .toList(),
                            "name");
                    return;
                }
                send(ex, 200, "application/json", flows.json(view.get()));
            }
            case "/console/api/flows/image" -> {
                int partition = (int) number(query, "partition", Integer.MAX_VALUE);
                long offset = number(query, "offset", Long.MAX_VALUE);
                Optional<FlowViews.Image> image = flows.image(partition, offset);
                if (image.isEmpty()) {
                    AdminServer.problem(
                            ex,
                            404,
                            "Not Found",
                            "no image of at most " + FlowViews.MAX_IMAGE_BYTES
                                    + " bytes (PNG, JPEG, GIF or WebP) at that partition and offset",
                            "offset");
                    return;
                }
                // the type comes from the bytes' signature; nosniff (set for every console answer) keeps it so
                ex.getResponseHeaders().set("Cache-Control", "private, max-age=3600");
                ex.getResponseHeaders().set("Cross-Origin-Resource-Policy", "same-origin");
                send(ex, 200, image.get().type(), image.get().bytes());
            }
            default -> AdminServer.problem(ex, 404, "Not Found", "no such flows resource", "path");
        }
    }

    /** A whole number from 0 to {@code max} in the query; a 400 naming it otherwise. */
    private static long number(Map<String, String> query, String field, long max) {
        String text = query.get(field);
        try {
            long value = Long.parseLong(text == null ? "" : text);
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadRequest(field, field + " must be a whole number from 0 to " + max);
    }

    private void asset(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        Optional<ConsoleAssets.Asset> asset = assets.get(path);
        if (asset.isEmpty()) {
            AdminServer.problem(ex, 404, "Not Found", "no such page: see / for the console", "path");
            return;
        }
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        send(ex, 200, asset.get().type(), asset.get().bytes());
    }

    private void list(HttpExchange ex) throws IOException {
        if (!auth.authorize(ex, AdminSettings.Scope.READ)) {
            return;
        }
        Map<String, String> query = query(ex.getRequestURI());
        Optional<RunnerSettings> sink = sink(ex, query.get("sink"));
        if (sink.isEmpty()) {
            return;
        }
        int limit;
        try {
            limit = Integer.parseInt(query.getOrDefault("limit", "50"));
        } catch (NumberFormatException e) {
            throw new BadRequest("limit", "limit must be a whole number from 1 to " + DeadLetterStore.MAX_LIMIT);
        }
        if (limit < 1 || limit > DeadLetterStore.MAX_LIMIT) {
            throw new BadRequest("limit", "limit must be from 1 to " + DeadLetterStore.MAX_LIMIT + ", got " + limit);
        }
        long since = since(query.get("since"));
        Optional<String> reason = Optional.ofNullable(query.get("reason")).filter(r -> !r.isEmpty());
        if (reason.isPresent() && reason.get().length() > 1000) {
            throw new BadRequest("reason", "reason must be at most 1000 characters");
        }
        DeadLetterStore.Listing listing = letters.list(sink.get(), limit, new DeadLetterStore.Filter(since, reason));
        ObjectNode body = ConsoleJson.MAPPER.valueToTree(listing);
        body.put("sink", sink.get().name());
        body.set("topics", ConsoleJson.MAPPER.valueToTree(DeadLetterStore.topics(sink.get())));
        send(ex, 200, "application/json", ConsoleJson.bytes(body));
    }

    private void replay(HttpExchange ex) throws IOException {
        Optional<String> who = auth.who(ex, AdminSettings.Scope.REPLAY);
        if (who.isEmpty()) {
            return;
        }
        String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type"))
                .orElse("");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            // a cross-site form cannot send JSON without a preflight this server never grants
            AdminServer.problem(
                    ex, 415, "Unsupported Media Type", "send the replay as application/json", "Content-Type");
            return;
        }
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String host = ex.getRequestHeaders().getFirst("Host");
        if (origin != null && (host == null || !sameHost(origin, host))) {
            AdminServer.problem(
                    ex, 403, "Forbidden", "replay is accepted from the console's own origin only", "Origin");
            return;
        }
        JsonNode body = body(ex);
        Optional<RunnerSettings> sink =
                sink(ex, body.path("sink").isTextual() ? body.get("sink").asText() : null);
        if (sink.isEmpty()) {
            return;
        }
        Replayer.Selection selection = selection(body, sink.get());
        boolean dryRun = body.path("dryRun").asBoolean(false);
        Replayer.Report report = replayer.replay(sink.get(), selection, dryRun, who.get());
        ObjectNode reply = ConsoleJson.MAPPER.valueToTree(report);
        reply.put("sink", sink.get().name());
        send(ex, 200, "application/json", ConsoleJson.bytes(reply));
    }

    /** Reads the replay body's selection; every mistake is a 400 naming its field. */
    static Replayer.Selection selection(JsonNode body, RunnerSettings sink) {
        Optional<String> topic = text(body, "topic");
        if (topic.isPresent() && !DeadLetterStore.topics(sink).contains(topic.get())) {
            throw new BadRequest(
                    "topic", "topic must be one of the sink's dead-letter topics " + DeadLetterStore.topics(sink));
        }
        OptionalInt partition = OptionalInt.empty();
        if (body.has("partition")) {
            if (!body.get("partition").isIntegralNumber()
                    || !body.get("partition").canConvertToInt()
                    || body.get("partition").asInt() < 0) {
                throw new BadRequest("partition", "partition must be a whole number >= 0");
            }
            partition = OptionalInt.of(body.get("partition").asInt());
        }
        long from = offset(body, "from", 0);
        long to = offset(body, "to", Long.MAX_VALUE);
        if (to < from) {
            throw new BadRequest("to", "to must not be below from");
        }
        Optional<String> reason = text(body, "reason");
        if (reason.isEmpty() && partition.isEmpty()) {
            throw new BadRequest("reason", "name a reason (letters whose reason starts with it) or a partition");
        }
        if (partition.isPresent()
                && topic.isEmpty()
                && DeadLetterStore.topics(sink).size() > 1) {
            throw new BadRequest("topic", "the sink has several dead-letter topics: name one with the partition");
        }
        int limit = Replayer.MAX_LETTERS;
        if (body.has("limit")) {
            if (!body.get("limit").isIntegralNumber()
                    || !body.get("limit").canConvertToInt()
                    || body.get("limit").asInt() < 1
                    || body.get("limit").asInt() > Replayer.MAX_LETTERS) {
                throw new BadRequest("limit", "limit must be from 1 to " + Replayer.MAX_LETTERS);
            }
            limit = body.get("limit").asInt();
        }
        long since = since(text(body, "since").orElse(null));
        return new Replayer.Selection(topic, partition, from, to, reason, since, limit);
    }

    /** Epoch ms of a {@code since} field (0 when absent); a 400 naming it when it is neither form {@link Since} takes. */
    private static long since(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            return Since.parse(text, java.time.Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new BadRequest("since", e.getMessage());
        }
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || node.asText().isEmpty() || node.asText().length() > 1000) {
            throw new BadRequest(field, field + " must be a non-empty string of at most 1000 characters");
        }
        return Optional.of(node.asText());
    }

    private static long offset(JsonNode body, String field, long fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0) {
            throw new BadRequest(field, field + " must be an offset (a whole number >= 0)");
        }
        return node.asLong();
    }

    private Optional<RunnerSettings> sink(HttpExchange ex, String name) throws IOException {
        if (name == null || name.isEmpty()) {
            throw new BadRequest("sink", "name the sink: one of " + sinks.keySet());
        }
        RunnerSettings sink = sinks.get(name);
        if (sink == null) {
            AdminServer.problem(ex, 404, "Not Found", "no sink named like that; sinks: " + sinks.keySet(), "sink");
            return Optional.empty();
        }
        return Optional.of(sink);
    }

    private static JsonNode body(HttpExchange ex) throws IOException {
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new BadRequest(413, "body", "the body is larger than " + MAX_BODY + " bytes");
        }
        try {
            JsonNode node = ConsoleJson.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new BadRequest("body", "the body must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest("body", "the body is not valid JSON");
        }
    }

    static boolean sameHost(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&", 20)) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("query", "the query string is not valid percent-encoding");
            }
        }
        return query;
    }

    /** Runs a handler for one method, with the console's headers; maps failures to problem+json. */
    private static HttpHandler guarded(String method, Handler handler) {
        return ex -> {
            try {
                ex.getResponseHeaders().set("Content-Security-Policy", CSP);
                ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
                ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
                ex.getResponseHeaders().set("X-Frame-Options", "DENY");
                if (!ex.getRequestMethod().equals(method)) {
                    ex.getResponseHeaders().set("Allow", method);
                    AdminServer.problem(ex, 405, "Method Not Allowed", "use " + method, "method");
                    return;
                }
                handler.handle(ex);
            } catch (BadRequest e) {
                AdminServer.problem(
                        ex, e.status, e.status == 413 ? "Content Too Large" : "Bad Request", e.getMessage(), e.field);
            } catch (KafkaException e) {
                ex.getResponseHeaders().set("Retry-After", "5");
                AdminServer.problem(ex, 503, "Service Unavailable", "Kafka did not answer: " + e.getMessage(), "kafka");
            } catch (RuntimeException e) {
                LOG.error(
                        "console request {} {} failed",
                        ex.getRequestMethod(),
                        ex.getRequestURI().getPath(),
                        e);
                AdminServer.problem(ex, 500, "Internal Server Error", "the request failed; the log says why", "");
            } finally {
                ex.close(); // after the catch blocks: they still answer on this exchange
            }
        };
    }

    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    /** A request mistake: 400 (or the given status) naming the field. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String field;

        BadRequest(String field, String message) {
            this(400, field, message);
        }

        BadRequest(int status, String field, String message) {
            super(message, null, false, false);
            this.status = status;
            this.field = field;
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
