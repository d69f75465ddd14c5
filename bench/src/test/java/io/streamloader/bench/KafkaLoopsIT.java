package io.streamloader.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.streamloader.bench.elasticsearch.BulkLoop;
import io.streamloader.bench.mongo.MongoLoop;
import io.streamloader.bench.postgres.PostgresLoop;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.PostgresService;
import io.streamloader.devstack.S3Service;
import io.streamloader.sink.postgresminio.PostgresMinioSinkFactory;
import io.streamloader.spi.SinkContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hand-written Kafka-fed baselines of the {@code mongo}, {@code postgres} and {@code elasticsearch} benches, scaled
 * down: 900 JSON events on a 3-partition topic read by 2 threads into the real stores. Every event is stored under
 * the id the pipeline would give it, a second pass from the start (a replay) stores nothing twice, and the loop's
 * group committed every offset.
 */
class KafkaLoopsIT {
    private static final int EVENTS = 900;
    private static final int PARTITIONS = 3;
    private static final byte[][] JSON = JsonPayloads.clicks(50, 300);
    private static KafkaService kafka;
    private static String topic;

    @BeforeAll
    static void produce() throws Exception {
        kafka = DevStack.kafka();
        topic = "loops-it-" + System.nanoTime();
        kafka.createTopic(topic, PARTITIONS);
        BenchProducer.produce(kafka.bootstrapServers(), EVENTS, i -> {
            byte[] key = ("k-" + i).getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(topic, key, JSON[(int) (i % JSON.length)]);
        });
    }

    @Test
    void mongoLoopUpsertsEveryEventByItsId() throws Exception {
        String uri = DevStack.mongo().connectionString();
        String collection = "loop" + System.nanoTime();
        for (int pass = 0; pass < 2; pass++) {
            KafkaLoop.Result r = run(() -> new MongoLoop(uri, "bench_it", collection));
            assertThat(r.events()).isEqualTo(EVENTS);
        }
        try (MongoClient client = MongoClients.create(uri)) {
            MongoCollection<Document> docs = client.getDatabase("bench_it").getCollection(collection);
            assertThat(docs.countDocuments()).as("documents after two passes").isEqualTo(EVENTS);
            Document one = docs.find(Filters.eq("_id", topic + "-1-0")).first();
            assertThat(one).isNotNull();
            assertThat(one.getString("type")).isEqualTo("click");
            docs.drop();
        }
    }

    @Test
    void postgresLoopUpsertsEveryEventIntoTheSinksTable() throws Exception {
        PostgresService pg = DevStack.postgres();
        S3Service s3 = DevStack.s3();
        String schema = "loops_it_" + (System.nanoTime() % 1_000_000);
        // the sink's migration creates its schema and table; the loop writes a copy of that table
        try (OpenedSink ignored = OpenedSink.open(
                new PostgresMinioSinkFactory(),
                new SinkContext(
                        "loops-it",
                        Map.of(
                                "jdbc.url", pg.jdbcUrl(),
                                "jdbc.user", pg.user(),
                                "jdbc.password", pg.password(),
                                "schema", schema,
                                "s3.endpoint", s3.endpoint(),
                                "s3.access-key", s3.accessKey(),
                                "s3.secret-key", s3.secretKey(),
                                "s3.bucket", schema.replace('_', '-'))))) {
            // nothing written through the sink
        }
        String table = schema + ".loop";
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
                Statement st = c.createStatement()) {
            st.execute("create table " + table + " (like " + schema + ".events including all)");
            for (int pass = 0; pass < 2; pass++) {
                KafkaLoop.Result r = run(() -> new PostgresLoop(pg.jdbcUrl(), pg.user(), pg.password(), table));
                assertThat(r.events()).isEqualTo(EVENTS);
            }
            try (ResultSet rs = st.executeQuery("select count(*), count(distinct kafka_key),"
                    + " sum(case when attributes->>'type' = 'click' then 1 else 0 end) from " + table)) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows after two passes").isEqualTo(EVENTS);
                assertThat(rs.getLong(2)).as("distinct keys").isEqualTo(EVENTS);
                assertThat(rs.getLong(3))
                        .as("rows with the JSON stored as jsonb")
                        .isEqualTo(EVENTS);
            }
            st.execute("drop schema " + schema + " cascade");
        }
    }

    @Test
    void elasticsearchLoopIndexesEveryEventUnderItsKey() throws Exception {
        String url = DevStack.elasticsearch().url();
        String index = "loops-it-" + System.nanoTime();
        for (int pass = 0; pass < 2; pass++) {
            KafkaLoop.Result r = run(() -> new BulkLoop(url, index));
            assertThat(r.events()).isEqualTo(EVENTS);
        }
        HttpClient http = HttpClient.newHttpClient();
        String doc = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/" + index + "/_doc/k-7"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(doc).contains("\"found\":true").contains("\"type\":\"click\"");
        http.send(
                HttpRequest.newBuilder(URI.create(url + "/" + index + "/_refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String count = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/" + index + "/_count"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(count).as("documents after two passes").contains("\"count\":" + EVENTS + ",");
        http.send(
                HttpRequest.newBuilder(URI.create(url + "/" + index)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** One pass of the loop from the earliest offset (a fresh group), checking that it committed every offset. */
    private static KafkaLoop.Result run(KafkaLoop.Writers writers) throws Exception {
        KafkaLoop.Result r = KafkaLoop.run(kafka.bootstrapServers(), topic, PARTITIONS, 2, 100, EVENTS, writers);
        assertThat(r.lastNanos()).isGreaterThan(r.firstNanos());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            long committed =
                    admin.listConsumerGroupOffsets(r.group()).partitionsToOffsetAndMetadata().get().values().stream()
                            .mapToLong(OffsetAndMetadata::offset)
                            .sum();
            assertThat(committed).as("offsets committed by " + r.group()).isEqualTo(EVENTS);
        }
        return r;
    }
}
