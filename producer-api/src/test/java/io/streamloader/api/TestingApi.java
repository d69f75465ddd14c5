package io.streamloader.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A {@link ProducerApi} on a real port over a {@link MockProducer}, and request helpers. */
final class TestingApi {

    final MockProducer<byte[], byte[]> producer;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Javalin app;

    TestingApi(ApiConfig config, boolean autoComplete) {
        this(config, autoComplete, ReadinessProbe.Result::up);
    }

    TestingApi(ApiConfig config, boolean autoComplete, ReadinessProbe readiness) {
        producer = new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
        app = new ProducerApi(config, producer, registry, readiness).create();
    }

    /** Loopback, any free port, the demo routes and topics {@code clicks} and {@code images}. */
    static ApiConfig config() {
        return config(Map.of());
    }

    /** {@link #config()} with {@code api} keys set (or replaced) as a YAML {@code api:} section would set them. */
    static ApiConfig config(Map<String, ?> api) {
        var merged = new java.util.LinkedHashMap<String, Object>(
                Map.of("host", "127.0.0.1", "port", 0, "topics", java.util.List.of("clicks", "images")));
        merged.putAll(api);
        return ApiConfig.from(merged);
    }

    void run(io.javalin.testtools.TestCase test) {
        JavalinTest.test(app, test);
    }

    static Response post(HttpClient client, String path, String contentType, byte[] body, Map<String, String> headers) {
        return client.request(path, b -> {
            b.post(BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            headers.forEach(b::header);
        });
    }

    static Response post(HttpClient client, String path, String contentType, String body) {
        return post(client, path, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static JsonNode json(Response response) {
        return BodyParser.read(response.body().string().getBytes(StandardCharsets.UTF_8), 0);
    }

    static String header(org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> r, String name) {
        return header(r.headers(), name);
    }

    static String header(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r, String name) {
        return header(r.headers(), name);
    }

    static String header(org.apache.kafka.common.header.Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
