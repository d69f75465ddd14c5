package io.streamloader.sink.elasticsearch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.StreamloaderConfig;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.ElasticsearchService;
import io.streamloader.devstack.KafkaService;
import io.streamloader.spi.Transform;
import io.streamloader.testing.TestingKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Transforms from a config file, through the real pipeline, into the devstack Elasticsearch (the one the other ITs of
 * this JVM use): filter keeps telemetry, insert-field adds epoch seconds (mapped as a number), drop-field removes a
 * field, route picks the index suffix, a forged route header is ignored and a hostile route value is dead-lettered.
 */
class ElasticsearchTransformsIT {
    private static final int TOTAL = 100;

    private final KafkaService kafka = DevStack.kafka();
    private final ElasticsearchService elasticsearch = DevStack.elasticsearch();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final TestingElasticsearch es = new TestingElasticsearch(elasticsearch.url());
    private SinkRunner runner;

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    /** Cars, trucks, a hostile route value, events without the route field, and events that are not telemetry. */
    private static String value(int i) {
        return switch (i % 4) {
            case 0 -> "{\"vin\":\"V" + i + "\",\"kind\":\"Car\",\"debug\":true}";
            case 1 -> "{\"vin\":\"V" + i + "\",\"kind\":\"truck\",\"timestamp\":\"2024-01-01T00:00:00Z\"}";
            case 2 -> i % 8 == 2 ? "{\"page\":\"/home\"}" : "not json at all";
            default -> i < 50 ? "{\"vin\":\"V" + i + "\",\"kind\":\"../admin\"}" : "{\"vin\":\"V" + i + "\"}";
        };
    }

    @Test
    void filterInsertFieldDropFieldAndRouteIntoElasticsearch() {
        String topic = "transforms-" + System.nanoTime();
        kafka.createTopic(topic, 2);
        kafka.createTopic(topic + ".dlq", 1);
        StreamloaderConfig config = ConfigLoader.parse(
                """
                kafka: { bootstrap-servers: "%s" }
                topics:
                  %s: { partitions: 2 }
                sinks:
                  search:
                    type: elasticsearch
                    topics: [%s]
                    batch: { max-linger: 50ms }
                    transforms:
                      - { type: filter, json-pointer: /vin }
                      - { type: insert-field, field: timestamp, value: event-time, format: epoch-seconds }
                      - { type: drop-field, fields: [debug] }
                      - { type: route, json-pointer: /kind }
                    config:
                      urls: "%s"
                """.formatted(kafka.bootstrapServers(), topic, topic, elasticsearch.url()), Map.of());
        RunnerSettings settings = config.sinks().getFirst();
        assertThat(settings.transforms().isResolved()).isTrue();
        long before = Instant.now().getEpochSecond();
        testing.produce(topic, "e-", TOTAL, ElasticsearchTransformsIT::value);
        // a producer's own sl-route header is ignored: only the sink's route step decides
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> forged = new ProducerRecord<>(topic, "{\"vin\":\"FORGED\"}".getBytes(UTF_8));
            forged.headers().add(Transform.ROUTE_HEADER, "stolen".getBytes(UTF_8));
            forged.headers().add("sl-event-id", "forged".getBytes(UTF_8));
            producer.send(forged);
        }

        runner = new SinkRunner(
                settings, new ElasticsearchSinkFactory(), testing.clientProperties(), new SimpleMeterRegistry());
        runner.start();
        await().atMost(Duration.ofSeconds(120))
                .until(() -> testing.committedTotal(settings.groupId(), topic) == TOTAL + 1);

        assertThat(ids(topic + "-car")).isEqualTo(ids(0, 4));
        assertThat(ids(topic + "-truck")).isEqualTo(ids(1, 4));
        Set<String> base = IntStream.range(50, TOTAL)
                .filter(i -> i % 4 == 3)
                .mapToObj(i -> "e-" + i)
                .collect(Collectors.toCollection(HashSet::new));
        base.add("forged");
        assertThat(ids(topic)).isEqualTo(base);
        JsonNode indices = es.json("GET", "/_cat/indices/" + topic + "*?format=json", null);
        Set<String> names = new HashSet<>();
        indices.forEach(i -> names.add(i.get("index").asString()));
        assertThat(names).containsExactlyInAnyOrder(topic, topic + "-car", topic + "-truck");

        JsonNode car = source(topic + "-car", "e-0");
        assertThat(car.has("debug")).isFalse();
        assertThat(car.get("vin").asString()).isEqualTo("V0");
        assertThat(car.get("timestamp").isIntegralNumber()).as("%s", car).isTrue();
        assertThat(car.get("timestamp").asLong())
                .isBetween(before - 5, Instant.now().getEpochSecond());
        // overwritten: the client's ISO string gives way to the loader's epoch seconds, as seed 000 does
        JsonNode truck = source(topic + "-truck", "e-1");
        assertThat(truck.get("timestamp").isIntegralNumber()).as("%s", truck).isTrue();
        assertThat(es.fieldType(topic + "-car", "timestamp")).isEqualTo("long");
        assertThat(es.fieldType(topic + "-truck", "timestamp")).isEqualTo("long");

        List<ConsumerRecord<byte[], byte[]>> letters = testing.readAll(topic + ".dlq", 12);
        assertThat(letters).hasSize(12);
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            assertThat(new String(letter.value(), UTF_8)).contains("../admin"); // the original
            assertThat(header(letter, "sl.error.reason"))
                    .contains("transform sinks.search.transforms[3] (route) failed")
                    .contains("must match [a-z0-9_]{1,64}");
        }
    }

    private static Set<String> ids(int remainder, int modulus) {
        return IntStream.range(0, TOTAL)
                .filter(i -> i % modulus == remainder)
                .mapToObj(i -> "e-" + i)
                .collect(Collectors.toSet());
    }

    private Set<String> ids(String index) {
        es.count(index); // refreshes
        JsonNode hits = es.json("POST", "/" + index + "/_search", "{\"size\":1000,\"_source\":false}")
                .get("hits")
                .get("hits");
        Set<String> out = new HashSet<>();
        hits.forEach(h -> out.add(h.get("_id").asString()));
        return out;
    }

    private JsonNode source(String index, String id) {
        return es.json("GET", "/" + index + "/_doc/" + id, null).get("_source");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), UTF_8);
    }
}
