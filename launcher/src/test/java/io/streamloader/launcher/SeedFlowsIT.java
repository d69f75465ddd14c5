package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.DevStackException;
import io.streamloader.devstack.ElasticsearchService;
import io.streamloader.devstack.KafkaService;
import io.streamloader.devstack.PostgresService;
import io.streamloader.devstack.S3Service;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The five demo flows as {@code streamloader dev} describes them (the dev.yaml resource itself, run by {@code
 * streamloader run} in its own JVM against this JVM's devstack services), fed both through the producer API and as the
 * originals' own clients send: 004's simulator's form posts, 001's positional arrays and 002's objects produced straight
 * into Kafka by a plain producer. Each test checks the stored shape as the original defines it: PostgreSQL columns from
 * {@code information_schema}, Elasticsearch mappings from {@code _mapping}, MongoDB documents' fields, S3 keys and
 * content types. One process serves every test (services start once).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedFlowsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    /** The original 001's columns, in its positional order. */
    private static final List<String> CLICK_COLUMNS =
            List.of("user_id", "timestamp", "url", "country", "city", "browser", "os", "device");

    @TempDir
    static Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private KafkaService kafka;
    private PostgresService postgres;
    private S3Service s3;
    private volatile String es;
    private static ElasticsearchService secondElasticsearch;
    private String mongo;
    private String api;
    private Process process;

    @BeforeAll
    void startTheDevFlows() throws Exception {
        CompletableFuture<Void> services = CompletableFuture.allOf(
                CompletableFuture.supplyAsync(SeedFlowsIT::elasticsearch).thenAccept(e -> es = e.url()),
                CompletableFuture.runAsync(DevStack::postgres),
                CompletableFuture.runAsync(DevStack::s3),
                CompletableFuture.runAsync(DevStack::mongo));
        kafka = DevStack.kafka();
        services.join();
        postgres = DevStack.postgres();
        s3 = DevStack.s3();
        mongo = DevStack.mongo().connectionString();
        int apiPort = freePort();
        int adminPort = freePort();
        api = "http://127.0.0.1:" + apiPort;

        Path config = dir.resolve("dev.yaml");
        try (InputStream in = DevCommand.class.getResourceAsStream("dev.yaml")) {
            Files.write(config, in.readAllBytes());
        }
        Map<String, String> env = new HashMap<>();
        env.put(
                "STREAMLOADER_HOME",
                Path.of("target/streamloader").toAbsolutePath().toString());
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("API_PORT", Integer.toString(apiPort));
        env.put("ADMIN_PORT", Integer.toString(adminPort));
        env.put("STREAMS_STATE_DIR", dir.resolve("streams").toString());
        env.put("MONGO_ENABLED", "true");
        env.put("MONGO_URL", mongo);
        env.put("ELASTICSEARCH_ENABLED", "true");
        env.put("ELASTICSEARCH_URL", es);
        env.put("ARCHIVE_ENABLED", "true");
        env.put("POSTGRES_URL", postgres.jdbcUrl());
        env.put("S3_ENDPOINT", s3.endpoint());

        // the topics as dev creates them (dead-letter topics included), by the same command compose's kafka-init runs
        Process topics = launcher(env, dir.resolve("topics.log"), "topics", "create", "--config", config.toString());
        assertThat(topics.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(topics.exitValue())
                .as(Files.readString(dir.resolve("topics.log")))
                .isZero();

        process = launcher(env, dir.resolve("run.log"), "run", "--config", config.toString());
        String ready = "http://127.0.0.1:" + adminPort + "/health/ready";
        await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    assertThat(process.isAlive())
                            .as("%s", Files.readString(dir.resolve("run.log")))
                            .isTrue();
                    return get(ready).statusCode() == 200;
                });
    }

    /**
     * Elasticsearch, given a second start when the first was not ready in devstack's 120 s: on a loaded build machine
     * its JVM alone can take that long to boot (seen at a load average of 29 on 2 cores).
     */
    private static ElasticsearchService elasticsearch() {
        try {
            return DevStack.elasticsearch();
        } catch (DevStackException e) {
            // devstack remembers a failed start; this test's own instance gets the second chance
            ElasticsearchService second = new ElasticsearchService(DevStack.dataDir("elasticsearch-second-start"), 0);
            second.start();
            secondElasticsearch = second;
            return second;
        }
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy(); // SIGTERM
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (secondElasticsearch != null) {
            secondElasticsearch.stop();
        }
    }

    /** Seed 004: the vehicle simulator's form posts, byte for byte, become typed diag rows as a JSON post does. */
    @Test
    void theFleetSimulatorsFormPostsBecomeTypedDiagRowsAsAJsonPostDoes() throws Exception {
        // python requests' data={...}: form-urlencoded, the simulator's field order, Python's float repr
        String form = "timestamp=1664046446.939104&make=Ford&model=F-150&position_x=1.2345678901234567"
                + "&position_y=3.4&position_z=55.61&speed=85.6&vin=SIMFORMABC0123456";
        HttpResponse<String> posted = post(
                "/events", "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.US_ASCII), Map.of());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        HttpResponse<String> json = post(
                "/events",
                "application/json",
                ("{\"timestamp\":1664046446.939104,\"make\":\"Ford\",\"model\":\"F-150\",\"position_x\":1.2345678901234567,"
                                + "\"position_y\":3.4,\"position_z\":55.61,\"speed\":85.6,\"vin\":\"SIMJSONABC0123456\"}")
                        .getBytes(StandardCharsets.UTF_8),
                Map.of());
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        // seed 000's generic events share /events; the fleet sink keeps only telemetry
        assertThat(post("/events", "application/json", "{\"user\":\"alice\",\"action\":\"login\"}".getBytes(), Map.of())
                        .statusCode())
                .isEqualTo(200);

        String query = "select \"timestamp\", make, model, position_x, position_y, position_z, speed, vin"
                + " from fleet.diag where vin in ('SIMFORMABC0123456', 'SIMJSONABC0123456') order by vin";
        await().atMost(PATIENCE).ignoreExceptions().until(() -> rows(query).size() == 2);
        List<Map<String, Object>> rows = rows(query);
        Map<String, Object> fromForm = new LinkedHashMap<>(rows.get(0));
        Map<String, Object> fromJson = new LinkedHashMap<>(rows.get(1));
        assertThat(fromForm)
                .containsEntry("timestamp", 1664046446.939104)
                .containsEntry("make", "Ford")
                .containsEntry("model", "F-150")
                .containsEntry("position_x", 1.2345678901234567)
                .containsEntry("position_y", 3.4)
                .containsEntry("position_z", 55.61)
                .containsEntry("speed", 85.6)
                .containsEntry("vin", "SIMFORMABC0123456");
        fromForm.remove("vin");
        fromJson.remove("vin");
        assertThat(fromForm).as("the form post's row is the JSON post's").isEqualTo(fromJson);
        assertThat(rows("select count(*) as n from fleet.diag where vin is null or make is null"))
                .containsExactly(Map.of("n", 0L));
        assertThat(columns("fleet", "diag"))
                .containsExactly(
                        "id integer",
                        "timestamp double precision",
                        "vin character(17)",
                        "make character varying(20)",
                        "model character varying(20)",
                        "position_x double precision",
                        "position_y double precision",
                        "position_z double precision",
                        "speed double precision");
    }

    /** Seed 000: a generic event in index events, its timestamp overwritten with the loader's epoch seconds. */
    @Test
    void aGenericEventIsIndexedWithTheLoadersEpochSecondsTimestamp() throws Exception {
        long before = Instant.now().getEpochSecond();
        HttpResponse<String> posted = post(
                "/events",
                "application/json",
                "{\"user\":\"alice\",\"action\":\"login\",\"timestamp\":1234567890}".getBytes(StandardCharsets.UTF_8),
                Map.of("Idempotency-Key", "seed000-alice"));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        await().atMost(PATIENCE)
                .ignoreExceptions()
                .until(() -> esGet("/events/_doc/seed000-alice").path("found").asBoolean());
        JsonNode source = esGet("/events/_doc/seed000-alice").get("_source");
        assertThat(source.get("user").asText()).isEqualTo("alice");
        assertThat(source.get("action").asText()).isEqualTo("login");
        assertThat(source.get("timestamp").isIntegralNumber()).as("%s", source).isTrue();
        assertThat(source.get("timestamp").asLong())
                .isBetween(before - 5, Instant.now().getEpochSecond() + 5);
        assertThat(esGet("/events/_mapping")
                        .at("/events/mappings/properties/timestamp/type")
                        .asText())
                .isEqualTo("long");
        assertThat(rows("select count(*) as n from fleet.diag where make is null"))
                .as("not telemetry: kept out of diag")
                .containsExactly(Map.of("n", 0L));
    }

    /**
     * Seed 001: the click producer's positional arrays (kafka-python's json.dumps, no key) produced straight into
     * clickstream are stored as the HTTP path stores them, under the original's column names, and counted by the
     * rollup.
     */
    @Test
    void theClickProducersPositionalArraysStraightIntoKafkaAreStoredAndCountedAsPostedOnes() throws Exception {
        String viaKafka = "http://kafka-" + UUID.randomUUID() + ".example/";
        String viaHttp = "http://http-" + UUID.randomUUID() + ".example/";
        List<List<String>> clicks = List.of(
                click("f5755a75-2add-454f-9ba3-138201656833", "2023-07-10T22:04:43", "Brandonstad"),
                click("f5755a75-2add-454f-9ba3-138201656833", "2023-07-10T22:09:43", "Montr\u00e9al"),
                click("0b7e1c2a-31d4-4b1e-9a59-5f0c3e9d2a11", "2023-07-11T01:04:43", "Lake Amy"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (List<String> click : clicks) {
                producer.send(new ProducerRecord<>("clickstream", null, pythonJsonDumps(withUrl(click, viaKafka))))
                        .get();
            }
        }
        for (List<String> click : clicks) {
            HttpResponse<String> posted = post(
                    "/topics/clickstream",
                    "application/json",
                    JSON.writeValueAsBytes(withUrl(click, viaHttp)),
                    Map.of());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        }

        await().atMost(PATIENCE)
                .ignoreExceptions()
                .until(() ->
                        rawClicks(viaKafka).size() == 3 && rawClicks(viaHttp).size() == 3);
        List<JsonNode> fromKafka = rawClicks(viaKafka);
        List<JsonNode> fromHttp = rawClicks(viaHttp);
        for (int i = 0; i < 3; i++) {
            ObjectNode expected = JSON.createObjectNode();
            for (int f = 0; f < CLICK_COLUMNS.size(); f++) {
                expected.put(
                        CLICK_COLUMNS.get(f), withUrl(clicks.get(i), viaKafka).get(f));
            }
            assertThat(fromKafka.get(i)).isEqualTo(expected);
            ObjectNode sameViaHttp = fromHttp.get(i).deepCopy();
            sameViaHttp.put("url", viaKafka);
            assertThat(sameViaHttp).as("the HTTP path stores the same document").isEqualTo(expected);
        }
        JsonNode raw = esGet("/clickstream/_mapping").at("/clickstream/mappings/properties");
        assertThat(iterable(raw.fieldNames())).containsExactlyInAnyOrderElementsOf(CLICK_COLUMNS);

        for (String url : List.of(viaKafka, viaHttp)) {
            await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
                JsonNode doc =
                        esGet("/click_events/_doc/" + encode(url + "|Chile")).get("_source");
                assertThat(doc.get("clicks").asLong()).isEqualTo(3);
                assertThat(doc.get("unique_users").asLong()).isEqualTo(2);
                assertThat(doc.get("average_time").asText()).isEqualTo("01:30:00");
            });
        }
        assertClickEventsMapping();
    }

    /** Re-sending a click set (same Idempotency-Keys) and an image uuid leaves one document / row / object each. */
    @Test
    void reSendingAClickSetAndAnImageUuidStoresNoDuplicates() throws Exception {
        String url = "http://resend-" + UUID.randomUUID() + ".example/";
        List<List<String>> clicks = List.of(
                click("u-1", "2023-07-01T10:00:00", "Lyon"),
                click("u-2", "2023-07-01T10:10:00", "Nice"),
                click("u-1", "2023-07-01T10:20:00", "Lyon"));
        String uuid = UUID.randomUUID().toString();
        byte[] first = png(1);
        byte[] second = png(2);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < clicks.size(); i++) {
                HttpResponse<String> posted = post(
                        "/topics/clickstream",
                        "application/json",
                        JSON.writeValueAsBytes(withUrl(clicks.get(i), url)),
                        Map.of("Idempotency-Key", "resend-" + url.hashCode() + "-" + i));
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            }
            HttpResponse<String> image = post(
                    "/topics/images?customer_id=7&uuid=" + uuid + "&sent_at=1742700000.25",
                    "image/png",
                    round == 0 ? first : second,
                    Map.of());
            assertThat(image.statusCode()).as(image.body()).isEqualTo(200);
        }

        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            JsonNode doc = esGet("/click_events/_doc/" + encode(url + "|Chile")).get("_source");
            assertThat(doc.get("clicks").asLong()).isEqualTo(3);
            assertThat(doc.get("unique_users").asLong()).isEqualTo(2);
        });
        assertThat(rawClicks(url)).as("one raw document per click").hasSize(3);
        assertClickEventsMapping();

        String query = "select uuid::text as uuid, customer_id, image_address, sent_at::text as sent_at"
                + " from images.image_storage where uuid = '" + uuid + "'::uuid";
        await().atMost(PATIENCE)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(object("7/" + uuid)).isEqualTo(second));
        assertThat(rows(query))
                .containsExactly(Map.of(
                        "uuid",
                        uuid,
                        "customer_id",
                        7,
                        "image_address",
                        "7/" + uuid,
                        "sent_at",
                        "2025-03-23 03:20:00.25"));
        StatObjectResponse object = stat("7/" + uuid);
        assertThat(object.contentType()).isEqualTo("image/png");
        assertThat(object.size()).isEqualTo(second.length);
        assertThat(columns("images", "image_storage"))
                .containsExactly(
                        "uuid uuid",
                        "customer_id integer",
                        "image_address text",
                        "sent_at timestamp without time zone",
                        "received_at timestamp without time zone");
    }

    /**
     * Seed 002: the somedata producer's objects produced straight into Kafka are stored as the API's GET /somedata
     * stores them; footdata posted as an array of matches is one document per match with the match's own fields, and
     * so is the footdata producer's own record, one JSON array of matches produced straight into the topic (no key),
     * each match under its id.
     */
    @Test
    void somedataAsTheProducerSendsItAndFootdataMatchesLandInMongo() throws Exception {
        String vehicle = "van" + Long.toString(System.nanoTime(), 36);
        HttpResponse<String> viaApi = get(api + "/somedata/" + vehicle + "?number=2");
        assertThat(viaApi.statusCode()).as(viaApi.body()).isEqualTo(200);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            "somedata",
                            null,
                            ("{\"0\": \"" + vehicle + "\", \"1\": \"" + vehicle + "\"}")
                                    .getBytes(StandardCharsets.UTF_8)))
                    .get();
            // producer_footdata.py: the /footdata reply (an array of matches) as one record, value json.dumps(...)
            String array = "[" + match(900_003, "Stade Rennais FC", "FC Nantes") + ", "
                    + match(900_004, "Olympique de Marseille", "Montpellier HSC") + "]";
            producer.send(new ProducerRecord<>("footdata", null, array.getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        String matches =
                "[" + match(900_001, "Lille OSC", "RC Lens") + "," + match(900_002, "AS Monaco FC", "OGC Nice") + "]";
        HttpResponse<String> posted =
                post("/footdata", "application/json", matches.getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

        try (MongoClient client = MongoClients.create(mongo)) {
            var db = client.getDatabase("streamloader");
            List<Integer> ids = List.of(900_001, 900_002, 900_003, 900_004);
            await().atMost(PATIENCE)
                    .until(() -> db.getCollection("somedata").countDocuments(new Document("0", vehicle)) == 2
                            && db.getCollection("footdata").countDocuments(new Document("id", new Document("$in", ids)))
                                    == 4);
            for (Document doc : db.getCollection("somedata").find(new Document("0", vehicle))) {
                assertThat(doc.keySet()).containsExactly("_id", "0", "1");
                assertThat(doc.get("1")).isEqualTo(vehicle);
            }
            for (Document doc : db.getCollection("footdata").find(new Document("id", new Document("$in", ids)))) {
                if (doc.getInteger("id") > 900_002) {
                    assertThat(doc.get("_id")).isEqualTo(doc.get("id")); // the producer's array: one per match id
                }
                assertThat(doc.keySet())
                        .containsExactlyInAnyOrder(
                                "_id",
                                "area",
                                "competition",
                                "season",
                                "id",
                                "utcDate",
                                "status",
                                "matchday",
                                "stage",
                                "group",
                                "lastUpdated",
                                "homeTeam",
                                "awayTeam",
                                "score",
                                "odds",
                                "referees");
                assertThat(doc.get("score", Document.class)
                                .get("fullTime", Document.class)
                                .getInteger("home"))
                        .isEqualTo(2);
            }
        }
    }

    private void assertClickEventsMapping() throws IOException, InterruptedException {
        JsonNode mapping = esGet("/click_events/_mapping").at("/click_events/mappings/properties");
        assertThat(mapping.at("/url/type").asText()).isEqualTo("keyword");
        assertThat(mapping.at("/country/type").asText()).isEqualTo("keyword");
        assertThat(mapping.at("/clicks/type").asText()).isEqualTo("long");
        assertThat(mapping.at("/unique_users/type").asText()).isEqualTo("long");
        assertThat(mapping.at("/average_time/type").asText()).isEqualTo("keyword");
    }

    private static List<String> click(String user, String timestamp, String city) {
        return List.of(
                user,
                timestamp,
                "placeholder",
                "Chile",
                city,
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36",
                "X11; Linux x86_64",
                "fire");
    }

    private static List<String> withUrl(List<String> click, String url) {
        List<String> copy = new ArrayList<>(click);
        copy.set(2, url);
        return copy;
    }

    /** What kafka-python's value_serializer json.dumps(v).encode() sends: ", " separators, non-ASCII as \\uXXXX. */
    private static byte[] pythonJsonDumps(List<String> values) throws IOException {
        StringBuilder out = new StringBuilder("[");
        for (String value : values) {
            if (out.length() > 1) {
                out.append(", ");
            }
            String quoted = JSON.writeValueAsString(value);
            StringBuilder ascii = new StringBuilder();
            quoted.chars().forEach(c -> ascii.append(c < 128 ? String.valueOf((char) c) : "\\u%04x".formatted(c)));
            out.append(ascii);
        }
        return out.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The raw click documents of one url, oldest click first. */
    private List<JsonNode> rawClicks(String url) throws IOException, InterruptedException {
        esSend("POST", "/clickstream/_refresh", null);
        String query = "{\"size\":100,\"query\":{\"term\":{\"url.keyword\":" + JSON.writeValueAsString(url) + "}}}";
        JsonNode hits =
                JSON.readTree(esSend("POST", "/clickstream/_search", query)).at("/hits/hits");
        List<JsonNode> sources = new ArrayList<>();
        hits.forEach(h -> sources.add(h.get("_source")));
        sources.sort(java.util.Comparator.comparing(s -> s.path("timestamp").asText()));
        return sources;
    }

    private static String match(int id, String home, String away) {
        return """
                {"area":{"id":2081,"name":"France","code":"FRA"},
                 "competition":{"id":2015,"name":"Ligue 1","code":"FL1","type":"LEAGUE"},
                 "season":{"id":1595,"startDate":"2023-08-13","endDate":"2024-05-19","currentMatchday":7},
                 "id":%d,"utcDate":"2023-09-30T19:00:00Z","status":"FINISHED","matchday":7,
                 "stage":"REGULAR_SEASON","group":null,"lastUpdated":"2023-10-01T00:20:43Z",
                 "homeTeam":{"id":524,"name":"%s","tla":"HOM"},"awayTeam":{"id":548,"name":"%s","tla":"AWY"},
                 "score":{"winner":"HOME_TEAM","duration":"REGULAR","fullTime":{"home":2,"away":1},
                          "halfTime":{"home":1,"away":0}},
                 "odds":{"msg":"Activate Odds-Package in User-Panel to retrieve odds."},
                 "referees":[{"id":43887,"name":"Cl\u00e9ment Turpin","type":"REFEREE","nationality":"France"}]}
                """.formatted(id, home, away);
    }

    private static byte[] png(int seed) throws IOException {
        BufferedImage image = new BufferedImage(16, 9, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(seed);
        for (int y = 0; y < 9; y++) {
            for (int x = 0; x < 16; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private StatObjectResponse stat(String key) throws Exception {
        return minio().statObject(
                        StatObjectArgs.builder().bucket("images").object(key).build());
    }

    private byte[] object(String key) throws Exception {
        try (InputStream in = minio().getObject(
                        GetObjectArgs.builder().bucket("images").object(key).build())) {
            return in.readAllBytes();
        }
    }

    private MinioClient minio() {
        return MinioClient.builder()
                .endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey())
                .build();
    }

    /** {@code column data_type(length)} of a table or view, in column order. */
    private List<String> columns(String schema, String table) throws SQLException {
        return rows("select column_name, data_type, character_maximum_length from information_schema.columns"
                        + " where table_schema = '" + schema + "' and table_name = '" + table
                        + "' order by ordinal_position")
                .stream()
                .map(c -> c.get("column_name") + " " + c.get("data_type")
                        + (c.get("character_maximum_length") == null
                                ? ""
                                : "(" + c.get("character_maximum_length") + ")"))
                .toList();
    }

    private List<Map<String, Object>> rows(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int col = 1; col <= rs.getMetaData().getColumnCount(); col++) {
                    row.put(rs.getMetaData().getColumnLabel(col), rs.getObject(col));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode esGet(String path) throws IOException, InterruptedException {
        return JSON.readTree(esSend("GET", path, null));
    }

    private String esSend(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(es + path))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300 && response.statusCode() != 404) {
            throw new IOException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static String encode(String id) {
        return java.net.URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static <T> List<T> iterable(Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }

    private static Process launcher(Map<String, String> env, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dstreamloader.home=" + Path.of("target/streamloader").toAbsolutePath(),
                Runtime.version().feature() >= 24 ? "--sun-misc-unsafe-memory-access=allow" : "-Dunused=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
