package io.streamloader.connect;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka Connect <b>distributed</b> worker ({@code ConnectDistributed}) in a child JVM, with the jars of {@code
 * src/test/connect-worker/pom.xml} (resolved into {@code target/connect-worker} on first use) and this module's
 * packaged plugin directory on its {@code plugin.path}. It keeps connector configs, offsets and status in Kafka topics
 * of its cluster group, as a production Connect cluster does; workers started with the same cluster share its tasks. Its log goes to {@code target/connect-<name>.log}. Connectors are managed
 * through its REST API.
 */
@SuppressWarnings({"unchecked", "rawtypes"}) // a one-element array of responses, written from the await's lambda
final class TestingConnectWorker implements AutoCloseable {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path WORKER_JARS = MODULE.resolve("target/connect-worker");
    /** What {@code package} builds: target/plugin/streamloader-connect/. */
    static final Path PLUGIN_PATH = MODULE.resolve("target/plugin");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Process process;
    private final Path log;
    private final URI rest;

    private TestingConnectWorker(Process process, Path log, URI rest) {
        this.process = process;
        this.log = log;
        this.rest = rest;
    }

    static TestingConnectWorker start(String name, String bootstrap) throws IOException, InterruptedException {
        return start(name, "connect-" + name + "-" + System.nanoTime(), bootstrap);
    }

    /**
     * A worker of the Connect cluster {@code cluster} (its group id and the prefix of its storage topics): workers
     * started with the same cluster share its connectors' tasks and take over the tasks of one that dies.
     */
    static TestingConnectWorker start(String name, String cluster, String bootstrap)
            throws IOException, InterruptedException {
        resolveJars();
        if (!Files.isDirectory(PLUGIN_PATH.resolve("streamloader-connect"))) {
            throw new IllegalStateException(PLUGIN_PATH + "/streamloader-connect is missing: run the package phase");
        }
        Path dir = Files.createDirectories(MODULE.resolve("target/connect/" + name));
        int port = freePort();
        Properties w = new Properties();
        w.setProperty("bootstrap.servers", bootstrap);
        String bytes = "org.apache.kafka.connect.converters.ByteArrayConverter";
        w.setProperty("key.converter", bytes);
        w.setProperty("value.converter", bytes);
        w.setProperty("header.converter", bytes);
        w.setProperty("group.id", cluster);
        for (String store : List.of("config", "offset", "status")) {
            w.setProperty(store + ".storage.topic", cluster + "-" + store + "s");
            w.setProperty(store + ".storage.replication.factor", "1"); // the devstack broker is one node
        }
        w.setProperty("offset.storage.partitions", "1");
        w.setProperty("status.storage.partitions", "1");
        w.setProperty("offset.flush.interval.ms", "500");
        // a dead worker leaves the cluster group after 6 s (the broker's minimum; default 10 s), and its tasks are
        // handed to the survivors 3 s after that instead of Connect's default 5 min of waiting for it to come back
        w.setProperty("session.timeout.ms", "6000");
        w.setProperty("heartbeat.interval.ms", "1000");
        w.setProperty("scheduled.rebalance.max.delay.ms", "3000");
        // likewise its tasks' consumers leave their connector's group after 6 s, not 45 s
        w.setProperty("consumer.session.timeout.ms", "6000");
        w.setProperty("consumer.heartbeat.interval.ms", "1000");
        w.setProperty("plugin.path", PLUGIN_PATH.toString());
        // found through the connector's META-INF/services entry, as Connect recommends (no reflective scan)
        w.setProperty("plugin.discovery", "service_load");
        w.setProperty("listeners", "http://127.0.0.1:" + port);
        Path workerFile = dir.resolve("worker.properties");
        try (var out = Files.newBufferedWriter(workerFile)) {
            w.store(out, "ConnectAdapterIT distributed worker " + name);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-cp");
        command.add(WORKER_JARS + "/*");
        command.add("org.apache.kafka.connect.cli.ConnectDistributed");
        command.add(workerFile.toString());
        Path log = MODULE.resolve("target/connect-" + name + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        TestingConnectWorker worker = new TestingConnectWorker(process, log, URI.create("http://127.0.0.1:" + port));
        try {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(250))
                    .until(worker::ready);
        } catch (RuntimeException e) {
            worker.close();
            throw new IllegalStateException("worker did not start; log " + log + "\n" + worker.tail(), e);
        }
        return worker;
    }

    /** Resolves the worker jars with Maven unless they are there: offline first, then from Central. */
    private static synchronized void resolveJars() throws IOException, InterruptedException {
        if (Files.isDirectory(WORKER_JARS)) {
            return;
        }
        for (String offline : List.of("-o", "-B")) {
            Process mvn = new ProcessBuilder(
                            MODULE.resolve("../mvnw").normalize().toString(),
                            "-B",
                            "-q",
                            offline,
                            "-f",
                            MODULE.resolve("src/test/connect-worker/pom.xml").toString(),
                            "package")
                    .inheritIO()
                    .start();
            if (mvn.waitFor() == 0) {
                return;
            }
        }
        throw new IllegalStateException("could not resolve src/test/connect-worker/pom.xml");
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("worker exited with " + process.exitValue() + "\n" + tail());
        }
        try {
            // Connect's /health (KIP-1017) answers 200 once the worker has joined its cluster group and read the config
            // topic; before that a distributed worker refuses connector requests
            return request("GET", "/health", null).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    HttpResponse<String> request(String method, String path, Object body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(rest.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        b.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    JsonNode json(String method, String path, Object body) throws IOException {
        HttpResponse<String> response = request(method, path, body);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + path + " -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Creates a connector; its config must include {@code connector.class}. A distributed worker answers 409 while its
     * group rebalances: asked again until it takes the request.
     */
    JsonNode createConnector(String name, Map<String, String> config) throws IOException {
        Map<String, Object> body = Map.of("name", name, "config", config);
        HttpResponse<String>[] last = new HttpResponse[1];
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> (last[0] = request("POST", "/connectors", body)).statusCode() != 409);
        if (last[0].statusCode() >= 300) {
            throw new IllegalStateException("POST /connectors -> " + last[0].statusCode() + " " + last[0].body());
        }
        return JSON.readTree(last[0].body());
    }

    /** Connect's validate API for the adapter's connector class. */
    JsonNode validate(Map<String, String> config) throws IOException {
        return json(
                "PUT",
                "/connector-plugins/" + StreamloaderSinkConnector.class.getSimpleName() + "/config/validate",
                config);
    }

    /** The id Connect gives this worker in status replies: the host and port of its REST listener. */
    String workerId() {
        return rest.getHost() + ":" + rest.getPort();
    }

    /** Kills the worker's JVM ({@code SIGKILL}): it leaves nothing behind it, as a crashed machine. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
