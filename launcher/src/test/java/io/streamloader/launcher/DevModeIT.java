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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamloader dev} as a separate process on free ports: the demo flows answer, the sinks store, and an
 * interrupt (Ctrl-C) stops everything with the ports released. Elasticsearch is skipped to keep the build fast; its
 * sink is covered by sink-elasticsearch's own ITs.
 */
class DevModeIT {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void runsTheDemoFlowsAndStopsCleanlyOnInterrupt() throws Exception {
        int kafka = freePort();
        int postgres = freePort();
        int s3 = freePort();
        int mongo = freePort();
        int api = freePort();
        int admin = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dstreamloader.home=" + Path.of("target/streamloader").toAbsolutePath(),
                "-Djava.io.tmpdir=" + dir,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "dev",
                "--no-elasticsearch",
                "--kafka-port=" + kafka,
                "--postgres-port=" + postgres,
                "--s3-port=" + s3,
                "--mongo-port=" + mongo,
                "--api-port=" + api,
                "--admin-port=" + admin));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("dev.log").toFile())
                .start();
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
            HttpResponse<String> ready = get("http://localhost:" + admin + "/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        } finally {
            ProcessHandle.of(process.pid()).ifPresent(p -> {
                try {
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid()))
                            .start()
                            .waitFor();
                } catch (IOException e) {
                    process.destroy();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("stopped within 30 s of Ctrl-C")
                .isTrue();
        assertThat(process.descendants().filter(ProcessHandle::isAlive).count()).isZero();
        // Hibernate logs through java.util.logging (jboss-logging sees no logback from the plugin's classloader):
        // bridged, its lines share the one text format instead of JUL's two-line "Dec 05, 2026 9:44:09 AM ..." layout
        List<String> lines = Files.readString(dir.resolve("dev.log")).lines().toList();
        assertThat(lines).noneMatch(l -> l.matches("[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M .*"));
        assertThat(lines)
                .anyMatch(l -> l.matches(
                        "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.+] org\\.hibernate\\.orm\\.core .*- HHH\\d+: .*"));
        for (int port : List.of(kafka, postgres, s3, mongo, api, admin)) {
            try (ServerSocket released = new ServerSocket(port)) {
                assertThat(released.getLocalPort()).isEqualTo(port);
            }
        }
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
