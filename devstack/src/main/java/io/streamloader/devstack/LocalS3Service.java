package io.streamloader.devstack;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * s3proxy with its filesystem backend, run from its fat jar as a separate JVM: its own Jetty, AWS SDK and Jackson
 * would clash with the project's on one classpath. Buckets and objects are plain directories and files under the
 * data directory, so they survive a restart.
 */
public final class LocalS3Service implements S3Service {

    private static final Logger LOG = LoggerFactory.getLogger(LocalS3Service.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int port;
    private ChildProcess process;

    /** An endpoint on {@code port} (0 = a free port, chosen at the first start) storing objects in {@code dataDir}. */
    public LocalS3Service(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    @Override
    public String name() {
        return "S3 (s3proxy)";
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
        Path config = dataDir.resolve("s3proxy.properties");
        try {
            Files.createDirectories(dataDir.resolve("blobs"));
            writeConfig(config);
        } catch (IOException e) {
            throw new DevStackException(name() + ": cannot prepare " + dataDir + ": " + e, e);
        }
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                Artifacts.s3proxyJar().toString(),
                "--properties",
                config.toString());
        ChildProcess candidate = ChildProcess.start(name(), command, Map.of(), dataDir, dataDir.resolve("s3proxy.log"));
        candidate.awaitReady(name() + " on " + endpoint(), this::answers, START_TIMEOUT);
        process = candidate;
        LOG.info("{} started on {} in {} ms (data in {})", name(), endpoint(), elapsed(started), dataDir);
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        long stopping = System.nanoTime();
        process.stop(Duration.ofSeconds(10));
        process = null;
        LOG.info("{} on {} stopped in {} ms", name(), endpoint(), elapsed(stopping));
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized int port() {
        return port;
    }

    @Override
    public synchronized String endpoint() {
        return "http://" + Ports.HOST + ":" + port;
    }

    private void writeConfig(Path config) throws IOException {
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", endpoint());
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", accessKey());
        p.setProperty("s3proxy.credential", secretKey());
        // s3proxy 4 dropped jclouds but kept its property names
        p.setProperty("jclouds.provider", "filesystem");
        p.setProperty("jclouds.filesystem.basedir", dataDir.resolve("blobs").toString());
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "streamloader devstack s3proxy");
        }
    }

    /** Any HTTP answer means Jetty is serving; an unsigned request gets 403, which is fine. */
    private boolean answers() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                .timeout(Duration.ofSeconds(2))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() > 0;
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
