package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.testtools.JavalinTest;
import io.streamloader.devstack.DevStackExtension;
import io.streamloader.devstack.KafkaService;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,500 garbage requests (random bytes, broken and hostile JSON, wrong types, junk headers and paths) against a topic
 * whose schema no garbage satisfies: every answer is a 4xx problem, the server stays ready, and Kafka stays empty.
 */
@ExtendWith(DevStackExtension.class)
class ProducerApiFuzzIT {

    private static final int REQUESTS = 1500;
    private static final String[] CONTENT_TYPES = {
        null,
        "application/json",
        "application/json; charset=utf-8",
        "application/x-ndjson",
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/xml",
        "garbage",
        "application/vnd.test+json",
        ";;;",
        "image/png; x"
    };

    @Test
    void garbageGetsOnly4xxAndNeverReachesKafka(KafkaService kafka, @TempDir Path dir) throws Exception {
        String topic = "fuzz-" + System.nanoTime();
        kafka.createTopic(topic, 2);
        Path schema = dir.resolve("fuzz.json");
        Files.writeString(
                schema,
                "{\"type\":\"object\",\"required\":[\"kind\"],\"properties\":{\"kind\":{\"const\":\"fuzz-valid-9f3\"}}}");
        var config = ApiConfig.from(Map.of(
                "host",
                "127.0.0.1",
                "port",
                0,
                "routes",
                Map.of("/events", topic),
                "schemas",
                Map.of(topic, schema.toString()),
                "max-body-bytes",
                64 * 1024,
                "blob-content-types",
                List.of("application/octet-stream")));
        var api = ProducerApi.connect(
                config, Map.of("bootstrap.servers", kafka.bootstrapServers()), ProducerApiIT.registry());
        var random = new Random(20261121L);
        var statuses = new TreeMap<Integer, Integer>();
        var fiveHundreds = new ArrayList<String>();
        JavalinTest.test(api.create(), (server, client) -> {
            for (int i = 0; i < REQUESTS; i++) {
                byte[] body = body(random, i);
                String contentType = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
                String path = path(random, topic);
                var r = client.request(path, b -> {
                    b.post(BodyPublishers.ofByteArray(body));
                    if (contentType != null) {
                        b.header("Content-Type", contentType);
                    }
                    if (random.nextInt(4) == 0) {
                        b.header("Idempotency-Key", junk(random, 1 + random.nextInt(300)));
                    }
                    if (random.nextInt(4) == 0) {
                        b.header(
                                "X-Meta-"
                                        + junk(random, 1 + random.nextInt(10))
                                                .replaceAll("[^A-Za-z0-9!#$%&'*+.^_`|~-]", "_"),
                                junk(random, random.nextInt(50)));
                    }
                });
                statuses.merge(r.code(), 1, Integer::sum);
                if (r.code() >= 500) {
                    fiveHundreds.add(r.code() + " " + path + " " + contentType + ": "
                            + r.body().string());
                }
                assertThat(r.code()).as("request %d to %s", i, path).isBetween(400, 499);
            }
            assertThat(fiveHundreds).isEmpty();
            assertThat(client.get("/health/ready").code()).isEqualTo(200);
            var ok = TestingApi.post(client, "/events", "application/json", "{\"kind\":\"fuzz-valid-9f3\"}");
            assertThat(ok.code()).isEqualTo(200);
        });
        System.out.println("fuzz statuses: " + statuses);
        assertThat(statuses.keySet()).contains(400, 404, 415, 422);
        assertThat(TestingConsumer.count(kafka.bootstrapServers(), topic)).isEqualTo(1);
    }

    private static String path(Random random, String topic) {
        return switch (random.nextInt(6)) {
            case 0 -> "/topics/" + topic;
            case 1 -> "/topics/" + junk(random, 1 + random.nextInt(20)).replaceAll("[^a-zA-Z0-9._-]", "x");
            case 2 -> "/events?" + junk(random, random.nextInt(30)).replaceAll("[^a-zA-Z0-9=&_-]", "");
            default -> "/events";
        };
    }

    private static byte[] body(Random random, int i) {
        return switch (i % 12) {
            case 0 -> randomBytes(random, random.nextInt(2000));
            case 1 -> truncate(random, "{\"kind\":\"fuzz-valid-9f3\",\"a\":[1,2,{\"b\":null}]}");
            case 2 -> "[".repeat(1 + random.nextInt(3000)).getBytes(StandardCharsets.UTF_8);
            case 3 ->
                ("{\"a\":" + "[".repeat(random.nextInt(1200)) + "]".repeat(random.nextInt(1200)) + "}")
                        .getBytes(StandardCharsets.UTF_8);
            case 4 ->
                ("{\"kind\":\"x\",\"n\":1" + "0".repeat(random.nextInt(5000)) + "}").getBytes(StandardCharsets.UTF_8);
            case 5 ->
                new String[] {"1", "\"s\"", "null", "true", "[]", "[1,2]", "{}", "[{}, 3]", "{\"a\":1}{\"b\":2}"}
                        [random.nextInt(9)].getBytes(StandardCharsets.UTF_8);
            case 6 -> ("{\"kind\":\"fuzz-valid-9f3\",\"kind\":\"dup\"}").getBytes(StandardCharsets.UTF_8);
            case 7 -> (junk(random, 20) + "=" + junk(random, 20) + "&%zz=%").getBytes(StandardCharsets.UTF_8);
            case 8 -> new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'};
            case 9 -> ("{\"kind\":\"fuzz-valid-9f3\"}\n" + junk(random, 30)).getBytes(StandardCharsets.UTF_8);
            case 10 -> ("{\"id\":\"" + junk(random, 5) + " spaced\",\"kind\":1}").getBytes(StandardCharsets.UTF_8);
            default -> junk(random, random.nextInt(500)).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] truncate(Random random, String valid) {
        return valid.substring(0, random.nextInt(valid.length() - 1)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Printable junk that is never a header-breaking character. */
    private static String junk(Random random, int n) {
        var sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return sb.toString();
    }
}
