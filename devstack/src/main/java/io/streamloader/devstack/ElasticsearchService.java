package io.streamloader.devstack;

import java.io.IOException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch (integ-test-zip: core modules only, no painless, ingest processors or reindex) as a child process:
 * single node, security off, 512 MB heap. As root it runs inside {@code unshare -U} mapped to uid 1001, because
 * Elasticsearch refuses root and its entitlement agent needs a mapped uid. Data lives in a fixed directory, so a
 * restart serves the same indices on the same port.
 */
public final class ElasticsearchService implements DevService {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchService.class);
    /** System property: seconds a start may take before it fails (default 120; 78 s were measured at load 26). */
    public static final String START_TIMEOUT_PROPERTY = "streamloader.devstack.elasticsearch.start-timeout-seconds";

    private static final Duration START_TIMEOUT =
            Duration.ofSeconds(Math.max(1, Long.getLong(START_TIMEOUT_PROPERTY, 120)));
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int port;
    private ChildProcess process;

    /** A node on HTTP {@code port} (0 = a free port, chosen at the first start) keeping its data in {@code dataDir}. */
    public ElasticsearchService(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    @Override
    public String name() {
        return "Elasticsearch";
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        if (process != null) { // it died on its own; clean up before starting again
            LOG.warn("{} on port {} had exited; starting it again", name(), port);
            process.stop(Duration.ZERO);
            process = null;
        }
        port = Ports.claim(name(), port);
        long started = System.nanoTime();
        Path home = ElasticsearchDistribution.home();
        try {
            ElasticsearchConfig.prepare(home, dataDir);
        } catch (IOException e) {
            throw new DevStackException(name() + ": cannot prepare " + dataDir + ": " + e, e);
        }
        ChildProcess candidate =
                ChildProcess.start(name(), command(home), environment(), dataDir, dataDir.resolve("logs/console.log"));
        candidate.awaitReady(name() + " on " + url(), this::healthy, START_TIMEOUT);
        process = candidate;
        LOG.info("{} started on {} in {} ms (data in {})", name(), url(), elapsed(started), dataDir);
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        long stopping = System.nanoTime();
        process.stop(STOP_TIMEOUT);
        process = null;
        LOG.info("{} on {} stopped in {} ms", name(), url(), elapsed(stopping));
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>}; stable across restarts once started. */
    public synchronized String url() {
        return "http://" + Ports.HOST + ":" + port;
    }

    private List<String> command(Path home) {
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            command.addAll(List.of("unshare", "-U", "--map-user=1001", "--map-group=1001"));
        }
        command.add(home.resolve("bin/elasticsearch").toString());
        Map.of(
                        "cluster.name", "streamloader-devstack",
                        "node.name", "devstack",
                        "discovery.type", "single-node",
                        "xpack.security.enabled", "false",
                        "network.host", Ports.HOST,
                        "http.port", String.valueOf(port),
                        "transport.port", "0",
                        "path.data", dataDir.resolve("data").toString(),
                        "path.logs", dataDir.resolve("logs").toString(),
                        // the disk watermarks would turn indices read-only on a full laptop or CI disk
                        "cluster.routing.allocation.disk.threshold_enabled", "false")
                .forEach((key, value) -> command.addAll(List.of("-E", key + "=" + value)));
        return command;
    }

    /** The same check Elasticsearch makes before refusing to run. */
    private static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private Map<String, String> environment() {
        return Map.of(
                "ES_JAVA_HOME", System.getProperty("java.home"), // the zip has no bundled JDK
                "ES_JAVA_OPTS", "-Xms512m -Xmx512m", // default would be half the machine's RAM
                // the short-lived launcher JVM only needs to start fast; the server keeps full JIT for benchmarks
                "CLI_JAVA_OPTS", "-XX:TieredStopAtLevel=1",
                "ES_PATH_CONF", dataDir.resolve("config").toString(),
                "ES_TMPDIR", dataDir.resolve("tmp").toString());
    }

    private boolean healthy() {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                .timeout(Duration.ofSeconds(5))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long elapsed(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
