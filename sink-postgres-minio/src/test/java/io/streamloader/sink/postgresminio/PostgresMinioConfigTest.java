package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresMinioConfigTest {
    private static final Map<String, String> REQUIRED = Map.of(
            "jdbc.url", "jdbc:postgresql://db:5432/app",
            "s3.endpoint", "http://s3:9000",
            "s3.access-key", "ak",
            "s3.secret-key", "sk");

    private static PostgresMinioSinkConfig parse(Map<String, String> config) {
        return PostgresMinioSinkConfig.from(new SinkContext("archive", config));
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> config = new HashMap<>(REQUIRED);
        config.put(key, value);
        return config;
    }

    private static List<String> problems(Map<String, String> config) {
        try {
            parse(config);
        } catch (SinkConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems for " + config);
    }

    @Test
    void defaults() {
        PostgresMinioSinkConfig c = parse(REQUIRED);
        assertThat(c.jdbcUser()).isEmpty();
        assertThat(c.jdbcPassword().isEmpty()).isTrue();
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.socketTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.jdbcBatchSize()).isEqualTo(1000);
        assertThat(c.jdbcConnections()).isEqualTo(2);
        assertThat(c.schema()).isEqualTo("streamloader");
        assertThat(c.migrationLocations()).isEmpty();
        assertThat(c.placeholders()).isEmpty();
        assertThat(c.s3Region()).isEqualTo("us-east-1");
        assertThat(c.bucket()).isEqualTo("streamloader");
        assertThat(c.createBucket()).isTrue();
        assertThat(c.keyTemplate()).hasToString("{topic}/{id}");
        assertThat(c.s3ConnectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.s3RequestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.uploadConcurrency()).isEqualTo(4);
        assertThat(c.blobFields()).isEmpty();
        assertThat(c.idTemplate()).isEmpty();
    }

    @Test
    void everyKeyIsMapped() {
        Map<String, String> all = new HashMap<>();
        all.put("jdbc.url", "jdbc:postgresql://db:5432/app?sslmode=disable");
        all.put("jdbc.user", "loader");
        all.put("jdbc.password", "pw");
        all.put("jdbc.connect-timeout", "2s");
        all.put("jdbc.socket-timeout", "2m");
        all.put("jdbc.batch-size", "250");
        all.put("jdbc.connections", "4");
        all.put("schema", "images");
        all.put("migrations.locations", "filesystem:/etc/sl/sql, classpath:db/extra");
        all.put("migrations.placeholders.owner", "reporting");
        all.put("s3.endpoint", "https://s3.example.com:9443");
        all.put("s3.access-key", "AK");
        all.put("s3.secret-key", "SK");
        all.put("s3.region", "eu-west-1");
        all.put("s3.bucket", "my-images");
        all.put("s3.create-bucket", "false");
        all.put("s3.key-template", "{customer_id}/{uuid}");
        all.put("s3.connect-timeout", "1s");
        all.put("s3.request-timeout", "10s");
        all.put("s3.upload-concurrency", "8");
        all.put("blob.fields", "image_data");
        all.put("id.template", "{uuid}");
        PostgresMinioSinkConfig c = parse(all);
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?sslmode=disable");
        assertThat(c.jdbcUser()).isEqualTo("loader");
        assertThat(c.jdbcPassword().reveal()).isEqualTo("pw");
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.socketTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.jdbcBatchSize()).isEqualTo(250);
        assertThat(c.jdbcConnections()).isEqualTo(4);
        assertThat(c.schema()).isEqualTo("images");
        assertThat(c.migrationLocations()).containsExactly("filesystem:/etc/sl/sql", "classpath:db/extra");
        assertThat(c.placeholders()).containsExactly(Map.entry("owner", "reporting"));
        assertThat(c.s3Endpoint()).isEqualTo(URI.create("https://s3.example.com:9443"));
        assertThat(c.s3AccessKey()).isEqualTo("AK");
        assertThat(c.s3SecretKey().reveal()).isEqualTo("SK");
        assertThat(c.s3Region()).isEqualTo("eu-west-1");
        assertThat(c.bucket()).isEqualTo("my-images");
        assertThat(c.createBucket()).isFalse();
        assertThat(c.keyTemplate().variables()).containsExactly("customer_id", "uuid");
        assertThat(c.s3ConnectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.s3RequestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.uploadConcurrency()).isEqualTo(8);
        assertThat(c.blobFields()).containsExactly("image_data");
        assertThat(c.idTemplate().orElseThrow().variables()).containsExactly("uuid");
    }

    @Test
    void missingRequiredKeysAreAllReportedWithTheirPaths() {
        assertThatThrownBy(() -> parse(Map.of()))
                .isInstanceOf(SinkConfigException.class)
                .satisfies(e -> assertThat(((SinkConfigException) e).problems())
                        .containsExactlyInAnyOrder(
                                "sinks.archive.config.jdbc.url: is required",
                                "sinks.archive.config.s3.endpoint: is required",
                                "sinks.archive.config.s3.access-key: is required",
                                "sinks.archive.config.s3.secret-key: is required"));
    }

    @Test
    void badIdentifiersAndValuesNameTheirKeys() {
        assertThat(problems(with("schema", "images; drop table x")))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("sinks.archive.config.schema: must be a lower-case SQL identifier");
        assertThat(problems(with("schema", "Images")))
                .singleElement()
                .asString()
                .contains("config.schema:");
        assertThat(problems(with("s3.bucket", "Bad_Bucket")))
                .singleElement()
                .asString()
                .startsWith("sinks.archive.config.s3.bucket: must be a valid S3 bucket name");
        assertThat(problems(with("jdbc.url", "jdbc:mysql://x/y")))
                .singleElement()
                .asString()
                .startsWith("sinks.archive.config.jdbc.url: must be a PostgreSQL JDBC URL");
        assertThat(problems(with("s3.key-template", "static-key")))
                .singleElement()
                .asString()
                .startsWith("sinks.archive.config.s3.key-template: 'static-key' has no {variable}");
        assertThat(problems(with("s3.key-template", "{topic}/../{id}")))
                .singleElement()
                .asString()
                .contains("config.s3.key-template:");
        assertThat(problems(with("jdbc.batch-size", "0")))
                .singleElement()
                .asString()
                .contains("config.jdbc.batch-size:");
        assertThat(problems(with("jdbc.connect-timeout", "0s")))
                .singleElement()
                .asString()
                .contains("config.jdbc.connect-timeout: must be positive");
        assertThat(problems(with("migrations.locations", "/etc/sql")))
                .singleElement()
                .asString()
                .contains("config.migrations.locations: '/etc/sql' must start with filesystem: or classpath:");
        assertThat(problems(with("migrations.placeholders.schema", "x")))
                .singleElement()
                .asString()
                .contains("config.migrations.placeholders.schema:");
        assertThat(problems(with("blob.fields", "a b")))
                .singleElement()
                .asString()
                .contains("config.blob.fields:");
        assertThat(problems(with("s3.endpoint", "not a url")))
                .singleElement()
                .asString()
                .contains("config.s3.endpoint:");
        assertThat(problems(with("s3.create-bucket", "maybe")))
                .singleElement()
                .asString()
                .contains("config.s3.create-bucket:");
    }

    /**
     * {@code jdbc.connections} caps the runner's connections, whatever {@code workers} is: a value that would open none,
     * overflow or flood the server is a problem naming the key, never a pool of a surprising size.
     */
    @Test
    void hostileConnectionCountsNameTheirKey() {
        for (String hostile : List.of("0", "-1", "33", "99999999999999999999", "2.5", "two", "", " ", "0x10")) {
            assertThat(problems(with("jdbc.connections", hostile)))
                    .as("jdbc.connections=%s", hostile)
                    .singleElement()
                    .asString()
                    .contains("config.jdbc.connections:");
        }
        assertThat(parse(with("jdbc.connections", "32")).jdbcConnections()).isEqualTo(32);
        assertThat(parse(with("jdbc.connections", "1")).jdbcConnections()).isEqualTo(1);
    }

    @Test
    void severalBlobFieldsNeedTheFieldVariableInTheKey() {
        assertThat(problems(with("blob.fields", "front,back")))
                .singleElement()
                .asString()
                .isEqualTo("sinks.archive.config.s3.key-template: must contain {field} when blob.fields names several"
                        + " fields");
        Map<String, String> ok = with("blob.fields", "front,back");
        ok.put("s3.key-template", "{topic}/{id}/{field}");
        assertThat(parse(ok).blobFields()).containsExactly("front", "back");
    }

    @Test
    void unknownKeysAreRejected() {
        assertThat(problems(with("s3.buckett", "x")))
                .singleElement()
                .asString()
                .startsWith("sinks.archive.config.s3.buckett: unknown setting");
    }

    @Test
    void secretsStayOutOfToString() {
        Map<String, String> config = with("jdbc.password", "hunter2");
        config.put("s3.secret-key", "s3-secret-xyz");
        assertThat(parse(config).toString()).doesNotContain("hunter2").doesNotContain("s3-secret-xyz");
        assertThat(new PostgresMinioSinkFactory().secretKeys())
                .containsExactlyInAnyOrder("jdbc.password", "s3.secret-key");
    }

    @Test
    void aBadIdTemplateNamesItsKey() {
        assertThat(problems(with("id.template", "{uuid")))
                .singleElement()
                .asString()
                .startsWith("sinks.archive.config.id.template: ");
    }

    /** A password written into the JDBC URL (either form) or the S3 endpoint is masked in the config and problems. */
    @Test
    void aPasswordInsideAUrlIsNeverPrinted() {
        for (String url : List.of(
                "jdbc:postgresql://db:5432/app?user=sl&password=hunter2",
                "jdbc:postgresql://sl:hunter2@db:5432/app",
                "jdbc:postgresql://db/app?sslmode=require&sslpassword=hunter2")) {
            Map<String, String> config = with("jdbc.url", url);
            config.put("s3.endpoint", "http://ak:hunter2@s3:9000");
            assertThat(parse(config).toString())
                    .as(url)
                    .contains("jdbc:postgresql://")
                    .doesNotContain("hunter2");
            config.put("jdbc.batch-size", "lots");
            assertThat(problems(config)).as(url).singleElement().asString().doesNotContain("hunter2");
        }
        assertThat(problems(with("jdbc.url", "jdbc:mysql://sl:hunter2@db/app")))
                .singleElement()
                .asString()
                .startsWith("sinks.archive.config.jdbc.url: must be a PostgreSQL JDBC URL")
                .contains("sl:****@db")
                .doesNotContain("hunter2");
    }
}
