package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamloader dev} as a newcomer starts it: the distribution unpacked elsewhere (a hard-linked copy of
 * {@code target/streamloader}), its {@code bin/streamloader} with {@code JAVA_HOME} unset, on free ports. It gets
 * ready, the demo flows answer, the sinks store, and SIGTERM stops everything with exit code 0 and the ports released.
 * The dev stack comes from the distribution's {@code dev-lib/} (its S3 server from {@code dev-lib/services/}), since
 * {@code lib/} has none. Elasticsearch is skipped to keep the build fast (the same code path with one service fewer);
 * its sink is covered by sink-elasticsearch's own ITs.
 */
class DevModeIT {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void runsFromTheUnpackedDistributionAndStopsCleanlyOnSigterm() throws Exception {
        int kafka = freePort();
        int postgres = freePort();
        int s3 = freePort();
        int mongo = freePort();
        int api = freePort();
        int admin = freePort();
        Path home = unpackedDistribution();
        List<String> command = List.of(
                home.resolve("bin").resolve("streamloader").toString(),
                "dev",
                "--no-elasticsearch",
                "--kafka-port=" + kafka,
                "--postgres-port=" + postgres,
                "--s3-port=" + s3,
                "--mongo-port=" + mongo,
                "--api-port=" + api,
                "--admin-port=" + admin);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("dev.log").toFile());
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("STREAMLOADER_OPTS", "-Xmx512m -Djava.io.tmpdir=" + dir);
        Process process = builder.start();
        try {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> Files.readString(dir.resolve("dev.log")).contains("streamloader dev is running"));
            String log = Files.readString(dir.resolve("dev.log"));
            assertThat(log)
                    .contains("http://localhost:" + api + "/openapi.json")
                    .contains("curl -s 'http://localhost:" + api + "/somedata/truck?number=3'");

            assertThat(get("http://localhost:" + api + "/somedata/truck?number=3")
                            .body())
                    .contains("\"data\":{\"0\":\"truck\",\"1\":\"truck\",\"2\":\"truck\"}");
            HttpResponse<String> fleet = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + api + "/events"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "timestamp=1714557600.5&make=Volvo&model=FH16&vin=YV2A4C2A5RA123456"
                                            + "&position_x=1.5&position_y=2.5&position_z=0&speed=85.6"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(fleet.statusCode()).as(fleet.body()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(get("http://localhost:" + admin + "/metrics")
                                    .body())
                            .contains("streamloader_sink_events_written_total{sink=\"docs\"} 1.0")
                            .contains("streamloader_sink_events_written_total{sink=\"fleet\"} 1.0"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> ready = get("http://localhost:" + admin + "/health/ready");
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(ready.body()).endsWith(",\"status\":\"UP\"}");
            });
            assertThat(process.descendants().map(p -> p.info().commandLine().orElse("")))
                    .as("the S3 server runs from the distribution's own dev-lib/services/")
                    .anyMatch(c ->
                            c.contains(home.resolve("dev-lib/services/s3proxy").toString()));
        } finally {
            process.destroy(); // SIGTERM
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("stopped within 30 s of SIGTERM")
                .isTrue();
        assertThat(process.exitValue()).as("exit code after SIGTERM").isZero();
        assertThat(process.descendants().filter(ProcessHandle::isAlive).count()).isZero();
        // Hibernate and Flyway log through java.util.logging (jboss-logging sees no logback from the plugin's
        // classloader): bridged, any of their lines shares the one text format instead of JUL's two-line
        // "Dec 05, 2026 9:44:09 AM ..." layout. (The distribution's logback.xml keeps org.hibernate at WARN, so a clean
        // run has none; LoggingTest checks the bridge itself.)
        List<String> lines = Files.readString(dir.resolve("dev.log")).lines().toList();
        assertThat(lines).noneMatch(l -> l.matches("[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M .*"));
        for (int port : List.of(kafka, postgres, s3, mongo, api, admin)) {
            try (ServerSocket released = new ServerSocket(port)) {
                assertThat(released.getLocalPort()).isEqualTo(port);
            }
        }
    }

    /** The built distribution, "unpacked" to a directory of its own: hard links, so it costs no copying. */
    private Path unpackedDistribution() throws IOException {
        Path built = Path.of("target", "streamloader").toAbsolutePath();
        Path home = dir.resolve("streamloader");
        try (Stream<Path> files = Files.walk(built)) {
            for (Path from : files.toList()) {
                Path to = home.resolve(built.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.createLink(to, from);
                }
            }
        }
        return home;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
