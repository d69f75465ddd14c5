package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.spi.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HostileCorpus} interleaved with 1,000 good events, through Kafka and a real runner into the devstack
 * PostgreSQL and S3 server, twice: rows only with the default key template, and with a base64 blob field and keys
 * {@code {customer_id}/{uuid}}. Every good event is stored once; every hostile one is stored or dead-lettered with
 * a reason, as its case expects; the runner ends {@code RUNNING} with every offset committed and no retries going on;
 * every object in the bucket is referenced by a row and every referenced object is there.
 */
class HostileCorpusIT {
    private static final Logger LOG = LoggerFactory.getLogger(HostileCorpusIT.class);
    private static final int GOOD = 1000;

    @Test
    void rowsAndBinaryBlobsUnderTopicAndId() throws Exception {
        run("hrows", Map.of());
    }

    @Test
    void base64BlobFieldsUnderCustomerAndUuid() throws Exception {
        run("hblob", Map.of("blob.fields", "image_data", "s3.key-template", "{customer_id}/{uuid}"));
    }

    private record Sent(String caseName, HostileCorpus.Expect expect, String id, Future<RecordMetadata> ack) {}

    private static void run(String prefix, Map<String, String> extra) throws Exception {
        TestingStores stores = new TestingStores(prefix);
        Map<String, String> config = new HashMap<>(extra);
        config.put(
                "migrations.locations",
                TestingStores.examples("images") + "," + "filesystem:"
                        + Path.of("src/test/resources/hostile/migrations").toAbsolutePath());
        try (TestingPipeline pipeline = new TestingPipeline(prefix, 2)) {
            String group = "hostile-" + stores.schema;
            SinkRunner runner = pipeline.start(group, 2, stores.config(config));

            List<HostileCorpus.Case> cases = HostileCorpus.cases();
            List<Sent> hostile = new ArrayList<>();
            List<Future<RecordMetadata>> goodAcks = new ArrayList<>();
            int every = Math.max(1, GOOD / (cases.size() + 2));
            int next = 0;
            for (int i = 0; i < GOOD; i++) {
                goodAcks.add(pipeline.send(good(pipeline.topic, i)));
                if (i % every == every - 1 && next < cases.size()) {
                    HostileCorpus.Case c = cases.get(next++);
                    hostile.add(
                            new Sent(c.name(), c.expect(), c.id(), pipeline.send(record(pipeline.topic, i % 2, c))));
                }
                if (i == 300) { // a refused later copy of an id must not hide the earlier, stored one
                    duplicates(pipeline, i % 2);
                }
            }
            while (next < cases.size()) {
                HostileCorpus.Case c = cases.get(next++);
                hostile.add(new Sent(c.name(), c.expect(), c.id(), pipeline.send(record(pipeline.topic, 0, c))));
            }
            goodAcks.forEach(TestingPipeline::await);
            hostile.forEach(s -> TestingPipeline.await(s.ack()));

            long end = pipeline.testing.endTotal(pipeline.topic);
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> pipeline.testing.committedTotal(group, pipeline.topic) == end);
            double retried = retried(pipeline);
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> retried(pipeline) == retried);
            assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RUNNING);

            Map<String, String> dead = deadLetters(pipeline);
            Set<String> ids = new HashSet<>();
            for (Map<String, Object> row : stores.query("select id from events")) {
                ids.add((String) row.get("id"));
            }

            // every good event stored once, with its own content, and none dead-lettered
            List<Map<String, Object>> goods =
                    stores.query("select id, attributes ->> 'n' as n, object_key from events where id like 'good-%'");
            assertThat(goods).hasSize(GOOD);
            for (Map<String, Object> row : goods) {
                assertThat("good-" + row.get("n")).isEqualTo(row.get("id"));
            }
            assertThat(dead.keySet()).noneMatch(name -> name.startsWith("good-"));

            List<String> wrong = new ArrayList<>();
            StringBuilder table = new StringBuilder();
            for (Sent s : hostile) {
                RecordMetadata at = s.ack().get();
                String id = s.id() != null ? s.id() : at.topic() + "-" + at.partition() + "-" + at.offset();
                boolean stored = ids.contains(id);
                String reason = dead.get(s.caseName());
                boolean lettered = reason != null;
                table.append(String.format(
                        "%n  %-34s %-14s %s",
                        s.caseName(),
                        stored ? "stored" : lettered ? "dead-lettered" : "LOST",
                        lettered ? abbreviate(reason) : ""));
                boolean ok = switch (s.expect()) {
                    case STORED -> stored && !lettered;
                    case DEAD_LETTERED -> lettered && !stored && !reason.isBlank();
                    case EITHER -> stored != lettered;
                };
                if (!ok) {
                    wrong.add(s.caseName() + " expected " + s.expect() + ", stored=" + stored + ", reason=" + reason);
                }
            }
            LOG.info("hostile corpus, {}:{}", prefix, table);
            assertThat(wrong).as("cases whose fate is wrong").isEmpty();

            // the earlier copies of an id whose later copy was refused
            assertThat(stores.query("select attributes ->> 'qty' as qty from events where id = 'dup-json'"))
                    .containsExactly(Map.of("qty", "1"));
            assertThat(dead).containsKeys("dup-json-refused", "dup-image-refused");
            assertThat(stores.query("select object_key is not null as has from events where id = 'dup-image'"))
                    .containsExactly(Map.of("has", true));

            // no row points at a missing object, and no refused event left its object behind
            Set<String> referenced = new HashSet<>();
            stores.query("select object_key from events where object_key is not null")
                    .forEach(r -> referenced.add((String) r.get("object_key")));
            assertThat(new HashSet<>(stores.objectKeys())).isEqualTo(referenced);
            assertThat(referenced).hasSizeGreaterThanOrEqualTo(GOOD / 3);
        }
    }

    private static double retried(TestingPipeline pipeline) {
        return pipeline.meters.find("streamloader.sink.events.retried").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    /** Case name (or good id) → {@code sl.error.reason} of every dead letter. */
    private static Map<String, String> deadLetters(TestingPipeline pipeline) {
        String dlq = pipeline.topic + ".dlq";
        long count = pipeline.testing.endTotal(dlq);
        List<ConsumerRecord<byte[], byte[]>> letters = pipeline.testing.readAll(dlq, (int) count);
        assertThat(letters).hasSize((int) count);
        Map<String, String> byCase = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            Header name = letter.headers().lastHeader(HostileCorpus.CASE_HEADER);
            Header id = letter.headers().lastHeader(Event.ID_HEADER);
            Header reason = letter.headers().lastHeader("sl.error.reason");
            String key = name != null
                    ? new String(name.value(), StandardCharsets.UTF_8)
                    : id == null ? "?" : new String(id.value(), StandardCharsets.UTF_8);
            byCase.put(key, reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8));
        }
        return byCase;
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() > 150 ? oneLine.substring(0, 150) + "..." : oneLine;
    }

    private static ProducerRecord<byte[], byte[]> good(String topic, int i) {
        String id = "good-" + i;
        String uuid =
                UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString();
        ProducerRecord<byte[], byte[]> record;
        switch (i % 3) {
            case 0 -> {
                byte[] png = ("PNG-" + i).getBytes(StandardCharsets.UTF_8);
                record = new ProducerRecord<>(topic, i % 2, id.getBytes(StandardCharsets.UTF_8), png);
                record.headers().add(Event.CONTENT_TYPE_HEADER, bytes("image/png"));
                record.headers().add("meta.customer_id", bytes(Integer.toString(i % 7)));
                record.headers().add("meta.uuid", bytes(uuid));
                record.headers().add("meta.n", bytes(Integer.toString(i)));
            }
            case 1 -> {
                String json = "{\"n\":" + i + ",\"qty\":" + i + ",\"price\":1.5,\"name\":\"good\"}";
                record = new ProducerRecord<>(topic, i % 2, id.getBytes(StandardCharsets.UTF_8), bytes(json));
                record.headers().add(Event.CONTENT_TYPE_HEADER, bytes("application/json"));
            }
            default -> {
                String data = Base64.getEncoder().encodeToString(("IMG-" + i).getBytes(StandardCharsets.UTF_8));
                String json = "{\"n\":" + i + ",\"customer_id\":" + (i % 7) + ",\"uuid\":\"" + uuid
                        + "\",\"image_data\":\"" + data + "\"}";
                record = new ProducerRecord<>(topic, i % 2, id.getBytes(StandardCharsets.UTF_8), bytes(json));
                record.headers().add(Event.CONTENT_TYPE_HEADER, bytes("application/json"));
            }
        }
        record.headers().add(Event.ID_HEADER, bytes(id));
        return record;
    }

    private static void duplicates(TestingPipeline pipeline, int partition) {
        String topic = pipeline.topic;
        ProducerRecord<byte[], byte[]> json = new ProducerRecord<>(topic, partition, null, bytes("{\"qty\":1}"));
        json.headers().add(Event.ID_HEADER, bytes("dup-json"));
        json.headers().add(HostileCorpus.CASE_HEADER, bytes("dup-json-stored"));
        ProducerRecord<byte[], byte[]> jsonRefused =
                new ProducerRecord<>(topic, partition, null, bytes("{\"qty\":-1}"));
        jsonRefused.headers().add(Event.ID_HEADER, bytes("dup-json"));
        jsonRefused.headers().add(HostileCorpus.CASE_HEADER, bytes("dup-json-refused"));

        ProducerRecord<byte[], byte[]> image = new ProducerRecord<>(topic, partition, null, bytes("PNG-dup"));
        image.headers().add(Event.ID_HEADER, bytes("dup-image"));
        image.headers().add(Event.CONTENT_TYPE_HEADER, bytes("image/png"));
        image.headers().add("meta.customer_id", bytes("3"));
        image.headers().add("meta.uuid", bytes("00000000-0000-4000-8000-0000000000d0"));
        image.headers().add(HostileCorpus.CASE_HEADER, bytes("dup-image-stored"));
        ProducerRecord<byte[], byte[]> imageRefused =
                new ProducerRecord<>(topic, partition, null, bytes("PNG-dup-refused"));
        imageRefused.headers().add(Event.ID_HEADER, bytes("dup-image"));
        imageRefused.headers().add(Event.CONTENT_TYPE_HEADER, bytes("image/png"));
        imageRefused.headers().add("meta.customer_id", bytes("3"));
        imageRefused.headers().add("meta.uuid", bytes("not-a-uuid"));
        imageRefused.headers().add(HostileCorpus.CASE_HEADER, bytes("dup-image-refused"));
        for (var r : List.of(json, jsonRefused, image, imageRefused)) {
            TestingPipeline.await(pipeline.send(r));
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int partition, HostileCorpus.Case c) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, c.key(), c.value());
        c.headers().forEach((k, v) -> record.headers().add(k, v));
        record.headers().add(HostileCorpus.CASE_HEADER, bytes(c.name()));
        return record;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
