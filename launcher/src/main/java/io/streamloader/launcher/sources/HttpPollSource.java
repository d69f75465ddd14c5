package io.streamloader.launcher.sources;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamloader.spi.Event;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one URL and publishes each item of its JSON answer as an event (seed 002's football-data.org matches): keyed and
 * identified by the item's id, published again only when its version field changes. Honours the upstream's rate limit
 * (requests at least {@link HttpPollSourceConfig#spacing()} apart) and a 429's {@code Retry-After}. A failing upstream,
 * a refused token or a malformed answer is logged and polled again later; it never stops the process. One thread.
 */
public final class HttpPollSource implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpPollSource.class);
    /** A larger answer is refused: a day of every competition's matches is a few MB. */
    static final int MAX_BODY_BYTES = 32 << 20;
    /** Longest wait a Retry-After may ask for. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    /** Ids remembered (least recently published forgotten first). */
    private static final int REMEMBERED = 100_000;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(200).build())
            .build());

    /** Where items go; blocks until the broker acknowledged, throws when it did not. */
    public interface Publisher extends AutoCloseable {
        void publish(String topic, byte[] key, byte[] value, Map<String, String> headers) throws Exception;

        @Override
        default void close() {}
    }

    private final HttpPollSourceConfig config;
    private final Publisher publisher;
    private final HttpClient http;
    private final Map<String, String> published = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };
    private final CountDownLatch stop = new CountDownLatch(1);
    private Thread thread;

    public HttpPollSource(HttpPollSourceConfig config, Publisher publisher) {
        this.config = config;
        this.publisher = publisher;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public String name() {
        return config.name();
    }

    /** Polls on its own thread until {@link #close()}. */
    public synchronized void start() {
        thread = Thread.ofPlatform().name("sl-source-" + config.name()).daemon().start(this::run);
        log.info(
                "source {} polling {} every {} into topic {}",
                config.name(),
                config.url(),
                config.pollEvery(),
                config.topic());
    }

    private void run() {
        try {
            do {
                Duration wait;
                try {
                    wait = pollOnce().next();
                } catch (RuntimeException e) {
                    log.warn("source {}: poll failed, will poll again: {}", config.name(), e.toString());
                    wait = config.pollEvery();
                }
                if (stop.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } while (true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What one poll did, and how long to wait before the next. */
    public record Poll(int status, int published, int unchanged, int skipped, Duration next) {}

    /** One request and its items published; never throws for what the upstream sends. */
    public Poll pollOnce() throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.url())
                .timeout(config.requestTimeout())
                .header("Accept", "application/json")
                .GET();
        config.headers().forEach(request::header);
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            log.warn("source {}: {} unreachable: {}", config.name(), config.url(), e.toString());
            return new Poll(0, 0, 0, 0, config.pollEvery());
        }
        int status = response.statusCode();
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            log.warn("source {}: reading the answer failed: {}", config.name(), e.toString());
            return new Poll(status, 0, 0, 0, config.pollEvery());
        }
        if (status == 429 || status == 503) {
            Duration retryAfter =
                    retryAfter(response.headers().firstValue("Retry-After").orElse(""));
            Duration wait = retryAfter.compareTo(config.spacing()) > 0 ? retryAfter : config.spacing();
            log.warn("source {}: upstream answered {} (rate limited), next request in {}", config.name(), status, wait);
            return new Poll(status, 0, 0, 0, wait);
        }
        if (status < 200 || status > 299) {
            log.warn(
                    "source {}: upstream answered {}{}: {}",
                    config.name(),
                    status,
                    status == 401 || status == 403 ? " (token refused? check the configured headers)" : "",
                    preview(body));
            return new Poll(status, 0, 0, 0, config.pollEvery());
        }
        if (body.length > MAX_BODY_BYTES) {
            log.warn("source {}: answer larger than {} bytes, ignored", config.name(), MAX_BODY_BYTES);
            return new Poll(status, 0, 0, 0, config.pollEvery());
        }
        return publishItems(status, body);
    }

    private Poll publishItems(int status, byte[] body) throws InterruptedException {
        JsonNode items;
        try {
            JsonNode root = JSON.readTree(body);
            items = root == null ? null : root.at(config.items());
        } catch (IOException | RuntimeException e) {
            log.warn("source {}: answer is not JSON: {}", config.name(), e.getMessage());
            return new Poll(status, 0, 0, 0, config.pollEvery());
        }
        if (items == null || !items.isArray()) {
            log.warn("source {}: no array at {} in the answer: {}", config.name(), config.items(), preview(body));
            return new Poll(status, 0, 0, 0, config.pollEvery());
        }
        int sent = 0;
        int unchanged = 0;
        int skipped = 0;
        for (JsonNode item : items) {
            JsonNode idNode = item.isObject() ? item.get(config.idField()) : null;
            if (idNode == null
                    || !idNode.isValueNode()
                    || idNode.isNull()
                    || idNode.asText().isBlank()) {
                skipped++;
                continue;
            }
            String id = idNode.asText();
            String version =
                    config.versionField().isEmpty() ? item.toString() : String.valueOf(item.get(config.versionField()));
            if (version.equals(published.get(id))) {
                unchanged++;
                continue;
            }
            try {
                publisher.publish(
                        config.topic(),
                        id.getBytes(StandardCharsets.UTF_8),
                        JSON.writeValueAsBytes(item),
                        Map.of(
                                Event.ID_HEADER,
                                config.name() + "-" + id,
                                Event.CONTENT_TYPE_HEADER,
                                Event.DEFAULT_CONTENT_TYPE));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // not remembered: the next poll publishes it again
                log.warn("source {}: publishing item {} failed, will retry: {}", config.name(), id, e.toString());
                return new Poll(status, sent, unchanged, skipped, config.pollEvery());
            }
            published.put(id, version);
            sent++;
        }
        if (skipped > 0) {
            log.warn("source {}: {} item(s) without a usable {} skipped", config.name(), skipped, config.idField());
        }
        log.debug("source {}: {} published, {} unchanged", config.name(), sent, unchanged);
        return new Poll(status, sent, unchanged, skipped, config.pollEvery());
    }

    /** Seconds or an HTTP date; bounded by {@link #MAX_RETRY_AFTER}; zero when absent or malformed. */
    static Duration retryAfter(String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            return Duration.ZERO;
        }
        Duration d;
        try {
            d = Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                d = d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return Duration.ZERO;
            }
        }
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    private static String preview(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        return text.replaceAll("\\p{Cntrl}", " ");
    }

    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            t.join(Duration.ofSeconds(10));
        }
        publisher.close();
    }
}
