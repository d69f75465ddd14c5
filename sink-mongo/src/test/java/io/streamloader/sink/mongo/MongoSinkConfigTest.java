package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MongoSinkConfigTest {

    private static MongoSinkConfig config(Map<String, String> raw) {
        return MongoSinkConfig.from(new SinkContext("docs", raw));
    }

    private static SinkConfigException problems(Map<String, String> raw) {
        try {
            config(raw);
        } catch (SinkConfigException e) {
            return e;
        }
        throw new AssertionError("expected a SinkConfigException for " + raw);
    }

    @Test
    void defaults() {
        MongoSinkConfig c = config(Map.of());
        assertThat(c.sinkName()).isEqualTo("docs");
        assertThat(c.connectionString().reveal()).isEqualTo("mongodb://localhost:27017");
        assertThat(c.username()).isEmpty();
        assertThat(c.password().isEmpty()).isTrue();
        assertThat(c.authSource()).isEqualTo("admin");
        assertThat(c.tls()).isFalse();
        assertThat(c.tlsCaFile()).isEmpty();
        assertThat(c.tlsAllowInvalidHostnames()).isFalse();
        assertThat(c.database()).isEqualTo("streamloader");
        assertThat(c.collection()).isEqualTo("{topic}");
        assertThat(c.idField()).isEmpty();
        assertThat(c.dateFields()).isEmpty();
        assertThat(c.writeConcern()).isEmpty();
        assertThat(c.writeConcernTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.serverSelectionTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.socketTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.maxDocumentSize()).isEqualTo(16 * 1024 * 1024);
        assertThat(c.splitArrays()).isFalse();
        assertThat(c.arraysIdField()).isEmpty();
        assertThat(c.arraysMaxElements()).isEqualTo(10_000);
        assertThat(c.indexes()).isEmpty();
    }

    @Test
    void everyKeyIsMapped(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not read while validating");
        MongoSinkConfig c = config(Map.ofEntries(
                Map.entry("connection-string", "mongodb://db1:27017,db2:27017/?replicaSet=rs0"),
                Map.entry("username", "loader"),
                Map.entry("password", "s3cret"),
                Map.entry("auth-source", "users"),
                Map.entry("tls.enabled", "true"),
                Map.entry("tls.ca-file", ca.toString()),
                Map.entry("tls.allow-invalid-hostnames", "true"),
                Map.entry("database", "seed_{topic}"),
                Map.entry("collection", "events"),
                Map.entry("id-field", "match.id"),
                Map.entry("date-fields", "utcDate, lastUpdated"),
                Map.entry("write-concern", "2"),
                Map.entry("write-concern.timeout", "3s"),
                Map.entry("server-selection-timeout", "2s"),
                Map.entry("connect-timeout", "1500ms"),
                Map.entry("socket-timeout", "1m"),
                Map.entry("max-document-size", "1MiB"),
                Map.entry("arrays", "split"),
                Map.entry("arrays.id-field", "match.id"),
                Map.entry("arrays.max-elements", "250"),
                Map.entry("indexes.by_team.keys", "homeTeam.id:1, utcDate:-1"),
                Map.entry("indexes.by_team.unique", "true"),
                Map.entry("indexes.by_team.sparse", "true"),
                Map.entry("indexes.by_team.collection", "events"),
                Map.entry("indexes.by_team.partial-filter", "{\"status\": \"FINISHED\"}"),
                Map.entry("indexes.ttl.keys", "lastUpdated"),
                Map.entry("indexes.ttl.expire-after", "7d")));
        assertThat(c.connectionString().reveal()).isEqualTo("mongodb://db1:27017,db2:27017/?replicaSet=rs0");
        assertThat(c.username()).contains("loader");
        assertThat(c.password().reveal()).isEqualTo("s3cret");
        assertThat(c.authSource()).isEqualTo("users");
        assertThat(c.tls()).isTrue();
        assertThat(c.tlsCaFile()).contains(ca);
        assertThat(c.tlsAllowInvalidHostnames()).isTrue();
        assertThat(c.database()).isEqualTo("seed_{topic}");
        assertThat(c.collection()).isEqualTo("events");
        assertThat(c.idField()).contains("match.id");
        assertThat(c.dateFields()).containsExactly("utcDate", "lastUpdated");
        assertThat(c.writeConcern()).contains("2");
        assertThat(c.writeConcernTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.serverSelectionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.socketTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.maxDocumentSize()).isEqualTo(1 << 20);
        assertThat(c.splitArrays()).isTrue();
        assertThat(c.arraysIdField()).contains("match.id");
        assertThat(c.arraysMaxElements()).isEqualTo(250);
        assertThat(c.toString()).contains("arrays=split", "arraysIdField=match.id", "arraysMaxElements=250");
        assertThat(c.indexes())
                .containsExactly(
                        new IndexSpec(
                                "by_team",
                                Optional.of("events"),
                                BsonDocument.parse("{\"homeTeam.id\": 1, \"utcDate\": -1}"),
                                true,
                                true,
                                Optional.empty(),
                                Optional.of(BsonDocument.parse("{\"status\": \"FINISHED\"}"))),
                        new IndexSpec(
                                "ttl",
                                Optional.empty(),
                                BsonDocument.parse("{\"lastUpdated\": 1}"),
                                false,
                                false,
                                Optional.of(Duration.ofDays(7)),
                                Optional.empty()));
    }

    @Test
    void badValuesNameTheirKeysAllAtOnce() {
        SinkConfigException e = problems(Map.ofEntries(
                Map.entry("connection-string", "http://nope"),
                Map.entry("password", "only-a-password"),
                Map.entry("tls.enabled", "maybe"),
                Map.entry("database", "a.b"),
                Map.entry("collection", "x$y{partition}"),
                Map.entry("id-field", "a..b"),
                Map.entry("write-concern", "0"),
                Map.entry("socket-timeout", "soon"),
                Map.entry("max-document-size", "17MiB"),
                Map.entry("indexes.bad.keys", "a:sideways"),
                Map.entry("indexes.bad.unique", "perhaps"),
                Map.entry("indexes.bad.colour", "red"),
                Map.entry("batch-size", "10")));
        assertThat(e.problems())
                .anyMatch(p -> p.startsWith("sinks.docs.config.connection-string: is not a valid MongoDB connection"))
                .anyMatch(p -> p.startsWith("sinks.docs.config.password: is set but sinks.docs.config.username"))
                .anyMatch(p -> p.startsWith("sinks.docs.config.tls.enabled: expected true or false"))
                .anyMatch(p -> p.startsWith("sinks.docs.config.database: 'a.b' contains a character"))
                .anyMatch(p -> p.startsWith("sinks.docs.config.collection: unknown placeholder {partition}"))
                .anyMatch(p -> p.startsWith("sinks.docs.config.id-field: 'a..b' is not a dotted field path"))
                .anyMatch(p -> p.startsWith("sinks.docs.config.write-concern: must be 'majority' or a number"))
                .anyMatch(p -> p.startsWith("sinks.docs.config.socket-timeout: expected a whole number with a unit"))
                .anyMatch(p -> p.startsWith("sinks.docs.config.max-document-size: must be between 1 and 16MiB"))
                .anyMatch(p -> p.startsWith("sinks.docs.config.indexes.bad.keys: 'a:sideways' is not field:1"))
                .anyMatch(p -> p.startsWith("sinks.docs.config.indexes.bad.unique: expected true or false"))
                .anyMatch(p -> p.startsWith("sinks.docs.config.indexes.bad.colour: unknown index setting"))
                .anyMatch(p -> p.startsWith("sinks.docs.config.batch-size: unknown setting"));
        assertThat(e.problems()).hasSize(13);
        assertThat(e.getMessage()).doesNotContain("only-a-password");
    }

    @Test
    void arraySettingsAreValidatedNamingTheirKeys() {
        assertThat(problems(Map.of("arrays", "explode", "arrays.max-elements", "0", "arrays.id-field", "a..b"))
                        .problems())
                .containsExactlyInAnyOrder(
                        "sinks.docs.config.arrays: must be one of refuse, split, was \"explode\"",
                        "sinks.docs.config.arrays.max-elements: must be at least 1, was 0",
                        "sinks.docs.config.arrays.id-field: 'a..b' is not a dotted field path like id or match.id",
                        "sinks.docs.config.arrays.id-field: applies only with sinks.docs.config.arrays: split",
                        "sinks.docs.config.arrays.max-elements: applies only with sinks.docs.config.arrays: split");
        assertThat(problems(Map.of("arrays", "split", "arrays.max-elements", "many"))
                        .problems())
                .containsExactly("sinks.docs.config.arrays.max-elements: expected a whole number, was \"many\"");
        assertThat(config(Map.of("arrays", "Refuse")).splitArrays()).isFalse();
    }

    @Test
    void anIndexNeedsKeysAndACollectionThatIsWritten() {
        SinkConfigException e = problems(Map.of(
                "collection", "events",
                "indexes.i.collection", "other",
                "indexes.i.partial-filter", "{not json"));
        assertThat(e.problems())
                .containsExactlyInAnyOrder(
                        "sinks.docs.config.indexes.i.keys: is required, e.g. homeTeam.id:1,utcDate:-1",
                        "sinks.docs.config.indexes.i.collection: 'other' is never written: collection is the fixed"
                                + " name 'events'",
                        e.problems().stream()
                                .filter(p -> p.startsWith("sinks.docs.config.indexes.i.partial-filter: is not a JSON"))
                                .findFirst()
                                .orElse("missing partial-filter problem"));
    }

    @Test
    void secretsStayOutOfToStringAndLogs() {
        MongoSinkConfig c = config(Map.of(
                "connection-string", "mongodb://app:pa55word@db:27017/?tls=true",
                "username", "loader",
                "password", "s3cret"));
        assertThat(c.toString())
                .doesNotContain("pa55word")
                .doesNotContain("s3cret")
                .contains("app:****@db");
        assertThat(c.maskedConnectionString()).isEqualTo("mongodb://app:****@db:27017/?tls=true");
        assertThat(Redaction.maskConnectionString("mongodb+srv://user@cluster/x"))
                .isEqualTo("mongodb+srv://user@cluster/x");
        assertThat(Redaction.maskConnectionString("mongodb://h1,h2/db")).isEqualTo("mongodb://h1,h2/db");
        assertThat(new MongoSinkFactory().secretKeys()).containsExactlyInAnyOrder("connection-string", "password");
    }

    @Test
    void topicsBecomeValidNames() {
        assertThat(Namespaces.resolve("streamloader", "{topic}", "footdata").getFullName())
                .isEqualTo("streamloader.footdata");
        assertThat(Namespaces.resolve("db_{topic}", "c_{topic}", "orders.eu$x").getFullName())
                .isEqualTo("db_orders_eu_x.c_orders.eu_x");
    }

    /** A password in the connection string is masked in the config, its log form and every problem. */
    @Test
    void aPasswordInsideTheConnectionStringIsNeverPrinted() {
        Map<String, String> raw = new java.util.HashMap<>(
                Map.of("connection-string", "mongodb://sl:hunter2@db1:27017,db2:27017/app?authSource=admin"));
        MongoSinkConfig c = config(raw);
        assertThat(c.toString()).contains("sl:****@db1").doesNotContain("hunter2");
        assertThat(c.maskedConnectionString()).doesNotContain("hunter2");
        assertThat(c.connectionString().reveal()).contains("hunter2");
        raw.put("socket-timeout", "99999999999999999999s");
        assertThat(problems(raw).problems())
                .singleElement()
                .asString()
                .startsWith("sinks.docs.config.socket-timeout: is too large")
                .doesNotContain("hunter2");
        assertThat(problems(Map.of("connection-string", "mongodb://sl:hunter2@db:notaport/app"))
                        .problems())
                .singleElement()
                .asString()
                .startsWith("sinks.docs.config.connection-string:")
                .doesNotContain("hunter2");
    }
}
