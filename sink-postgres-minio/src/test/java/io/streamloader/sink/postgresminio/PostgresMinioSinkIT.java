package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FailureKind;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.WriteResult;
import io.streamloader.testing.TestingOpenSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sink against the devstack PostgreSQL and S3 server, without Kafka. */
class PostgresMinioSinkIT {
    private static final Instant T = Instant.parse("2026-11-02T10:15:30.123456Z");

    private final List<TestingOpenSink> sinks = new ArrayList<>();

    @AfterEach
    void close() {
        sinks.forEach(TestingOpenSink::close);
    }

    private TestingOpenSink sink(TestingStores stores, Map<String, String> extra) {
        TestingOpenSink sink =
                TestingOpenSink.open(new PostgresMinioSinkFactory(), new SinkContext("archive", stores.config(extra)));
        sinks.add(sink);
        return sink;
    }

    private static Event json(String id, long offset, String value) {
        return Event.builder()
                .id(id)
                .topic("fleet")
                .partition(1)
                .offset(offset)
                .timestamp(T)
                .key(("k-" + id).getBytes(StandardCharsets.UTF_8))
                .value(value.getBytes(StandardCharsets.UTF_8))
                .headers(Map.of(Event.ID_HEADER, id))
                .contentType("application/json")
                .build();
    }

    private static Event image(String id, long offset, String customer, String uuid, byte[] png) {
        return Event.builder()
                .id(id)
                .topic("images")
                .partition(0)
                .offset(offset)
                .timestamp(T)
                .value(png)
                .headers(Map.of("meta.customer_id", customer, "meta.uuid", uuid, "content-type", "image/png"))
                .contentType("image/png")
                .build();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void storesEveryColumnAndUpsertsByIdKeepingTheFirstReceivedAt() throws Exception {
        TestingStores stores = new TestingStores("cols");
        TestingOpenSink sink = sink(stores, Map.of());
        String value = "{\"vin\":\"V1\",\"speed\":85.6,\"note\":\"it's \\\"quoted\\\" '); DROP TABLE diag;--\"}";
        assertThat(sink.write(List.of(json("e1", 41, value), json("e2", 42, "[1,2]")))
                        .isSuccess())
                .isTrue();

        Map<String, Object> row =
                stores.query("select * from events where id = 'e1'").getFirst();
        assertThat(row)
                .containsEntry("topic", "fleet")
                .containsEntry("kafka_partition", 1)
                .containsEntry("kafka_offset", 41L)
                .containsEntry("kafka_key", "k-e1")
                .containsEntry("content_type", "application/json")
                .containsEntry("bucket", null)
                .containsEntry("object_key", null);
        assertThat(stores.query("select to_char(event_time at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                        + " as t from events where id = 'e1'"))
                .containsExactly(Map.of("t", T.toString()));
        assertThat(stores.query("select attributes ->> 'note' as note, (attributes ->> 'speed')::float8 as speed"
                        + " from events where id = 'e1'"))
                .containsExactly(Map.of("note", "it's \"quoted\" '); DROP TABLE diag;--", "speed", 85.6));
        Object firstReceived = stores.query("select received_at from events where id = 'e1'")
                .getFirst()
                .get("received_at");

        Thread.sleep(20);
        assertThat(sink.write(List.of(json("e1", 99, "{\"vin\":\"V1\",\"speed\":1}"), json("e1", 100, "{\"v\":2}")))
                        .isSuccess())
                .as("the same id twice in one batch: the last copy wins")
                .isTrue();
        assertThat(stores.count("select count(*) from events")).isEqualTo(2);
        assertThat(stores.query("select kafka_offset, attributes::text as a, received_at from events where id = 'e1'"))
                .containsExactly(Map.of("kafka_offset", 100L, "a", "{\"v\": 2}", "received_at", firstReceived));
    }

    @Test
    void aBatchSplitAcrossConnectionsStoresEachRowOnceAndIsolatesRefusedRowsInEverySlice() throws Exception {
        TestingStores stores = new TestingStores("slices");
        TestingOpenSink sink = sink(stores, Map.of("jdbc.connections", "3"));
        List<Event> earlier = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            earlier.add(json("s" + i, i, "{\"n\":" + i + ",\"write\":1}"));
        }
        assertThat(sink.write(earlier).isSuccess()).isTrue();

        // 900 rows → 3 slices of 300: the first holds the 50 ids stored above (its inserts fail, its upserts succeed),
        // the second and third each hold one value PostgreSQL refuses
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 900; i++) {
            String value = i == 450 || i == 800 ? "{\"n\":" : "{\"n\":" + i + ",\"write\":2}";
            batch.add(json("s" + i, 1000 + i, value));
        }
        WriteResult result = sink.write(batch);

        assertThat(result.failures()).extracting(f -> f.event().id()).containsExactlyInAnyOrder("s450", "s800");
        assertThat(result.failures()).allSatisfy(f -> {
            assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(f.reason()).contains("invalid input syntax for type json");
        });
        assertThat(stores.count("select count(*) from events")).isEqualTo(898);
        assertThat(stores.count("select count(*) from events where (attributes ->> 'write')::int = 2"))
                .isEqualTo(898);
        assertThat(stores.count("select count(*) from events where id in ('s450', 's800')"))
                .isZero();
    }

    @Test
    void storesABinaryEventAsAnObjectThenItsRow() throws Exception {
        TestingStores stores = new TestingStores("bin");
        TestingOpenSink sink = sink(stores, Map.of("s3.key-template", "{customer_id}/{uuid}"));
        byte[] png = random(50_000, 1);
        String uuid = "3f2b2c1e-0000-4000-8000-000000000001";
        assertThat(sink.write(List.of(image("i1", 0, "7", uuid, png))).isSuccess())
                .isTrue();

        assertThat(stores.object("7/" + uuid)).isEqualTo(png);
        assertThat(stores.query("select bucket, object_key, object_size, object_sha256, attributes::text as a,"
                        + " content_type from events where id = 'i1'"))
                .containsExactly(Map.of(
                        "bucket",
                        stores.bucket,
                        "object_key",
                        "7/" + uuid,
                        "object_size",
                        50_000L,
                        "object_sha256",
                        TestingStores.sha256(png),
                        "a",
                        "{\"uuid\": \"" + uuid + "\", \"customer_id\": \"7\"}",
                        "content_type",
                        "image/png"));
    }

    @Test
    void aBatchMixingEventsWithAndWithoutBlobsStoresEachWithItsColumnsAndUpsertsThemOnRedelivery() throws Exception {
        TestingStores stores = new TestingStores("mixed");
        TestingOpenSink sink = sink(stores, Map.of("s3.key-template", "{customer_id}/{uuid}"));
        byte[] png = random(1_000, 2);
        for (long firstOffset : List.of(0L, 1_000L)) {
            // every third event a binary one, so inserts of the two row entities interleave in every slice
            List<Event> batch = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                batch.add(
                        i % 3 == 0
                                ? image("b" + i, firstOffset + i, "c", "u" + i, png)
                                : json("j" + i, firstOffset + i, "{\"n\":" + i + "}"));
            }
            assertThat(sink.write(batch).isSuccess()).isTrue();

            assertThat(stores.count("select count(*) from events")).isEqualTo(300);
            assertThat(stores.count("select count(*) from events where kafka_offset >= ?", firstOffset))
                    .as("the second write (a redelivery at later offsets) upserted every row")
                    .isEqualTo(300);
            assertThat(stores.count(
                            "select count(*) from events where id like 'b%' and bucket = ?"
                                    + " and object_key = 'c/u' || substr(id, 2) and object_size = 1000"
                                    + " and object_sha256 = ?",
                            stores.bucket, TestingStores.sha256(png)))
                    .isEqualTo(100);
            assertThat(stores.count("select count(*) from events where id like 'j%' and bucket is null"
                            + " and object_key is null and object_size is null and object_sha256 is null"
                            + " and (attributes ->> 'n')::int = substr(id, 2)::int"))
                    .isEqualTo(200);
        }
    }

    @Test
    void base64FieldsBecomeObjectsReferencedFromTheAttributes() throws Exception {
        TestingStores stores = new TestingStores("b64");
        TestingOpenSink sink =
                sink(stores, Map.of("blob.fields", "image_data", "s3.key-template", "{customer_id}/{uuid}"));
        byte[] png = random(3000, 2);
        String value = "{\"uuid\":\"u-1\",\"customer_id\":1,\"image_data\":\""
                + Base64.getEncoder().encodeToString(png) + "\"}";
        assertThat(sink.write(List.of(json("j1", 0, value))).isSuccess()).isTrue();

        assertThat(stores.object("1/u-1")).isEqualTo(png);
        assertThat(stores.query(
                        "select attributes -> 'image_data' ->> 'key' as k, (attributes ->> 'uuid') is not null as has_uuid,"
                                + " object_key from events"))
                .containsExactly(Map.of("k", "1/u-1", "has_uuid", true, "object_key", "1/u-1"));
    }

    @Test
    void refusedRowsAreDeadLetteredWithTheirObjectsRemovedAndTheOthersStored() throws Exception {
        TestingStores stores = new TestingStores("refuse");
        TestingOpenSink sink = sink(
                stores,
                Map.of(
                        "s3.key-template",
                        "{customer_id}/{uuid}",
                        "migrations.locations",
                        TestingStores.examples("images")));
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String uuid = i == 4 ? "not-a-uuid" : "00000000-0000-4000-8000-00000000000" + i;
            batch.add(image("i" + i, i, "1", uuid, random(1000, i)));
        }
        batch.add(json("bad-json", 10, "{\"broken\":"));
        WriteResult result = sink.write(batch);

        assertThat(result.failures()).hasSize(2);
        EventFailure refused = result.failures().stream()
                .filter(f -> f.event().id().equals("i4"))
                .findFirst()
                .orElseThrow();
        assertThat(refused.kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(refused.reason()).contains("invalid input syntax for type uuid");
        assertThat(refused.errorClass()).isEqualTo("postgres_rejected");
        EventFailure badJson = result.failures().stream()
                .filter(f -> f.event().id().equals("bad-json"))
                .findFirst()
                .orElseThrow();
        // checked by PostgreSQL when it casts the value to jsonb, refused with its message
        assertThat(badJson.reason()).contains("invalid input syntax for type json");
        assertThat(badJson.errorClass()).isEqualTo("postgres_rejected");

        assertThat(stores.count("select count(*) from image_storage")).isEqualTo(9);
        assertThat(stores.objectKeys()).hasSize(9).doesNotContain("1/not-a-uuid");
        assertThat(stores.query("select image_address from image_storage where customer_id = 1 order by uuid limit 1"))
                .containsExactly(Map.of("image_address", "1/00000000-0000-4000-8000-000000000000"));
    }

    @Test
    void aRefusedLaterCopyOfAnIdInTheSameBatchLeavesTheEarlierCopyStored() throws Exception {
        TestingStores stores = new TestingStores("dup");
        TestingOpenSink sink = sink(stores, Map.of());
        Event earlier = json("d1", 0, "{\"a\":1}");
        Event refused = json("d1", 1, "{\"a\":\"\\u0000\"}");
        Event other = json("d2", 2, "{\"b\":2}");
        WriteResult result = sink.write(List.of(earlier, refused, other));

        assertThat(result.failures()).singleElement().satisfies(f -> {
            assertThat(f.event().offset()).isEqualTo(1);
            assertThat(f.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(f.reason()).contains("22P05");
        });
        assertThat(stores.query("select id, attributes::text as a from events order by id"))
                .containsExactly(Map.of("id", "d1", "a", "{\"a\": 1}"), Map.of("id", "d2", "a", "{\"b\": 2}"));

        // and the last copy wins when every copy is good
        assertThat(sink.write(List.of(json("d3", 3, "{\"v\":1}"), json("d3", 4, "{\"v\":2}")))
                        .isSuccess())
                .isTrue();
        assertThat(stores.query("select attributes ->> 'v' as v from events where id = 'd3'"))
                .containsExactly(Map.of("v", "2"));
    }

    @Test
    void aRefusedEventKeepsTheObjectAStoredRowOfAnotherEventRefersTo() throws Exception {
        TestingStores stores = new TestingStores("shared");
        TestingOpenSink sink = sink(stores, Map.of("s3.key-template", "{customer_id}/{uuid}"));
        Map<String, String> headers = Map.of("meta.customer_id", "1", "meta.uuid", "u1", "content-type", "image/png");
        Event first = Event.builder()
                .id("s1")
                .topic("images")
                .partition(0)
                .offset(0)
                .timestamp(T)
                .value(random(100, 1))
                .headers(headers)
                .contentType("image/png")
                .build();
        assertThat(sink.write(List.of(first)).isSuccess()).isTrue();

        Map<String, String> nul = new java.util.HashMap<>(headers);
        nul.put("meta.note", "a\u0000b"); // PostgreSQL refuses \u0000 in jsonb
        Event second = Event.builder()
                .id("s2")
                .topic("images")
                .partition(0)
                .offset(1)
                .timestamp(T)
                .value(random(100, 2))
                .headers(nul)
                .contentType("image/png")
                .build();
        Event alone = Event.builder()
                .id("s3")
                .topic("images")
                .partition(0)
                .offset(2)
                .timestamp(T)
                .value(random(100, 3))
                .headers(Map.of("meta.customer_id", "1", "meta.uuid", "u3", "meta.note", "\u0000"))
                .contentType("image/png")
                .build();
        WriteResult result = sink.write(List.of(second, alone));

        assertThat(result.failures()).extracting(f -> f.event().id()).containsExactlyInAnyOrder("s2", "s3");
        assertThat(stores.query("select id, object_key from events"))
                .containsExactly(Map.of("id", "s1", "object_key", "1/u1"));
        // 1/u1 is s1's: kept; 1/u3 was only the refused s3's: removed
        assertThat(stores.objectKeys()).containsExactly("1/u1");
    }

    @Test
    void anOddContentTypeIsNormalisedForTheObjectAndKeptInTheRow() throws Exception {
        TestingStores stores = new TestingStores("ctype");
        TestingOpenSink sink = sink(stores, Map.of());
        byte[] png = random(64, 9);
        Event event = Event.builder()
                .id("c1")
                .topic("images")
                .partition(0)
                .offset(0)
                .timestamp(T)
                .value(png)
                .contentType("image/png; x")
                .build();
        assertThat(sink.write(List.of(event)).isSuccess()).isTrue();
        assertThat(stores.object("images/c1")).isEqualTo(png);
        assertThat(stores.minio()
                        .statObject(io.minio.StatObjectArgs.builder()
                                .bucket(stores.bucket)
                                .object("images/c1")
                                .build())
                        .contentType())
                .isEqualTo("image/png");
        assertThat(stores.query("select content_type from events"))
                .containsExactly(Map.of("content_type", "image/png; x"));
    }

    @Test
    void fleetTelemetryWhoseNumbersDoNotFitADoubleIsRefusedSoTheDiagViewStaysReadable() throws Exception {
        TestingStores stores = new TestingStores("fleet");
        TestingOpenSink sink = sink(stores, Map.of("migrations.locations", TestingStores.examples("fleet")));
        String ok = "{\"vin\":\"V1\",\"timestamp\":1.5,\"position_x\":1,\"position_y\":2,\"position_z\":3,"
                + "\"speed\":%s}";
        WriteResult result = sink.write(List.of(
                json("f1", 0, String.format(ok, "85.5")),
                json("f2", 1, String.format(ok, "1e400")),
                json("f3", 2, String.format(ok, "-1e-400")),
                json("f4", 3, String.format(ok, "\"fast\""))));

        assertThat(result.failures()).extracting(f -> f.event().id()).containsExactlyInAnyOrder("f2", "f3", "f4");
        assertThat(result.failures())
                .filteredOn(f -> f.event().id().equals("f4"))
                .singleElement()
                .satisfies(f -> assertThat(f.reason()).contains("diag_typed"));
        assertThat(result.failures())
                .filteredOn(f -> !f.event().id().equals("f4"))
                .allSatisfy(f -> assertThat(f.reason()).contains("out of range", "22003"));
        // vin is char(17), as the original's table: a shorter value comes back blank-padded
        assertThat(stores.query("select rtrim(vin) as vin, speed from diag"))
                .containsExactly(Map.of("vin", "V1", "speed", 85.5));
    }

    @Test
    void postgresDownFailsTheBatchAsRetriableWithoutRowsAndRecovers() throws Exception {
        TestingStores stores = new TestingStores("pgdown");
        TestingOpenSink sink = sink(stores, Map.of());
        assertThat(sink.write(List.of(image("a", 0, "1", "u", new byte[] {1}))).isSuccess())
                .isTrue();
        stores.postgres.stop();
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> sink.write(List.of(image("b", 1, "1", "u", new byte[] {2}))))
                    .isInstanceOf(RetriableSinkException.class)
                    .hasMessageContaining("PostgreSQL unavailable");
            assertThat((System.nanoTime() - started) / 1_000_000_000.0).isLessThan(15.0);
        } finally {
            stores.postgres.start();
        }
        assertThat(sink.write(List.of(image("b", 1, "1", "u", new byte[] {2}))).isSuccess())
                .isTrue();
        assertThat(stores.count("select count(*) from events")).isEqualTo(2);
    }

    @Test
    void s3DownFailsTheBatchAsRetriableBeforeAnyRowAndRecovers() throws Exception {
        TestingStores stores = new TestingStores("s3down");
        TestingOpenSink sink = sink(stores, Map.of());
        stores.s3.stop();
        try {
            assertThatThrownBy(() -> sink.write(List.of(image("a", 0, "1", "u", new byte[] {1}), json("j", 1, "{}"))))
                    .isInstanceOf(RetriableSinkException.class)
                    .hasMessageContaining("S3 unreachable");
            assertThat(stores.count("select count(*) from events")).isZero();
        } finally {
            stores.s3.start();
        }
        assertThat(sink.write(List.of(image("a", 0, "1", "u", new byte[] {1}), json("j", 1, "{}")))
                        .isSuccess())
                .isTrue();
        assertThat(stores.count("select count(*) from events")).isEqualTo(2);
        assertThat(stores.objectKeys()).containsExactly("images/a");
    }

    @Test
    void startingFailsAsRetriableWhileTheDatabaseIsUnreachable() {
        TestingStores stores = new TestingStores("nodb");
        Map<String, String> config = stores.config(Map.of("jdbc.url", "jdbc:postgresql://127.0.0.1:1/postgres"));
        assertThatThrownBy(
                        () -> TestingOpenSink.open(new PostgresMinioSinkFactory(), new SinkContext("archive", config)))
                .isInstanceOf(RetriableSinkException.class)
                .hasMessageContaining("PostgreSQL not reachable");
    }
}
