package io.streamloader.bench.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A Kafka Connect <b>standalone</b> worker ({@code ConnectStandalone worker.properties connector.properties}) in a child
 * JVM, for the comparison rows of the mongo and postgres benches.
 *
 * <p>Neither the worker nor any connector is on a project classpath (connect-runtime brings Jetty/Jersey that clash
 * with Javalin, and the parent enforces dependency convergence). {@code bench/connect/pom.xml}, which is not a reactor
 * module, resolves them into {@code bench/connect/target/{worker,plugins}}; {@link #resolve()} runs it on first use.
 * The worker log goes to {@code bench/target/connect-NAME.log}.
 */
public final class ConnectWorker implements AutoCloseable {
    /** The repository root: the working directory of bench/run, or the parent of bench's own (its tests). */
    private static final Path ROOT =
            (Files.isDirectory(Path.of("bench", "connect")) ? Path.of("") : Path.of("..")).toAbsolutePath();

    private static final Path HOME = ROOT.resolve("bench").resolve("connect").normalize();
    private static final Path TARGET = HOME.resolve("target");

    /** mongo-kafka-connect, {@code all} classifier; keep in step with bench/connect/pom.xml. */
    public static final String MONGO_PLUGIN = "mongo";

    public static final String MONGO_VERSION = "2.0.1";

    /** Debezium JDBC sink plugin archive (bundles Hibernate, Agroal and the PostgreSQL driver). */
    public static final String DEBEZIUM_JDBC_PLUGIN = "debezium-jdbc";

    public static final String DEBEZIUM_VERSION = "3.6.0.Final";

    public static final String KAFKA_CONNECT_VERSION = "4.3.1";

    private final String name;
    private final Process process;
    private final Path log;

    private ConnectWorker(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Resolves the worker and plugin jars with Maven unless they are there already. */
    public static synchronized void resolve() throws IOException, InterruptedException {
        if (Files.isDirectory(TARGET.resolve("worker"))
                && Files.isDirectory(TARGET.resolve("plugins").resolve(MONGO_PLUGIN))
                && Files.isDirectory(TARGET.resolve("plugins").resolve(DEBEZIUM_JDBC_PLUGIN))) {
            return;
        }
        System.err.println("resolving Kafka Connect " + KAFKA_CONNECT_VERSION + " and connectors into " + TARGET);
        Process mvn = new ProcessBuilder(
                        ROOT.resolve("mvnw").normalize().toString(),
                        "-B",
                        "-q",
                        "-f",
                        HOME.resolve("pom.xml").toString(),
                        "package")
                .inheritIO()
                .start();
        if (mvn.waitFor() != 0) {
            throw new IllegalStateException("could not resolve bench/connect/pom.xml (exit " + mvn.exitValue() + ")");
        }
    }

    /**
     * Starts a standalone worker with one connector from {@code plugin} (a directory under target/plugins).
     *
     * @param worker extra worker properties (converters, ...), on top of bootstrap servers, offsets file, plugin path
     *     and a free REST port
     */
    public static ConnectWorker start(
            String name,
            String bootstrap,
            String plugin,
            String heap,
            Map<String, String> worker,
            Map<String, String> connector)
            throws IOException, InterruptedException {
        resolve();
        Path dir = Files.createDirectories(
                ROOT.resolve("bench/target/connect/" + name).normalize());
        Properties w = new Properties();
        w.setProperty("bootstrap.servers", bootstrap);
        w.setProperty("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        w.setProperty("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        w.setProperty("offset.storage.file.filename", dir.resolve("offsets").toString());
        w.setProperty("plugin.path", TARGET.resolve("plugins").resolve(plugin).toString());
        w.setProperty("plugin.discovery", "only_scan");
        w.setProperty("listeners", "http://127.0.0.1:" + freePort());
        w.putAll(worker);
        Properties c = new Properties();
        c.setProperty("name", name);
        c.putAll(connector);
        Path workerFile = dir.resolve("worker.properties");
        Path connectorFile = dir.resolve("connector.properties");
        try (var out = Files.newBufferedWriter(workerFile)) {
            w.store(out, "bench worker " + name);
        }
        try (var out = Files.newBufferedWriter(connectorFile)) {
            c.store(out, "bench connector " + name);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-cp");
        command.add(TARGET.resolve("worker") + "/*");
        command.add("org.apache.kafka.connect.cli.ConnectStandalone");
        command.add(workerFile.toString());
        command.add(connectorFile.toString());
        Path log = ROOT.resolve("bench/target/connect-" + name + ".log").normalize();
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ConnectWorker(name, process, log);
    }

    /**
     * What {@link #measure} saw: records written between the first and the last observation ({@link System#nanoTime}
     * instants), and the worker's peak RSS.
     */
    public record Measured(long records, long firstNanos, long lastNanos, long rssMib) {
        public double seconds() {
            return (lastNanos - firstNanos) / 1e9;
        }

        public double perSecond() {
            return records / seconds();
        }
    }

    /**
     * Polls {@code count} until it reaches {@code expected}, every {@code pollMillis} at the start and near the end
     * (less often in between); the rate is from the first poll that saw a record (its count subtracted) to the first
     * poll that saw them all. Fails if the worker exits or makes
     * no progress for two minutes.
     */
    public Measured measure(LongSupplier count, long expected, long pollMillis) throws InterruptedException {
        long firstNanos = 0;
        long firstCount = 0;
        long lastProgress = System.nanoTime();
        long seen = 0;
        long rss = -1;
        while (true) {
            long n = count.getAsLong();
            long now = System.nanoTime();
            rss = Math.max(rss, rssMib());
            if (n > seen) {
                seen = n;
                lastProgress = now;
            }
            if (n > 0 && firstNanos == 0) {
                firstNanos = now;
                firstCount = n;
            }
            if (n >= expected) {
                if (n == firstCount) {
                    throw new IllegalStateException(name + ": all records appeared in one poll; use more events");
                }
                return new Measured(n - firstCount, firstNanos, now, rss);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + ": worker exited with " + process.exitValue() + " after " + n
                        + " of " + expected + " records; see " + log + "\n" + tail());
            }
            if (now - lastProgress > TimeUnit.MINUTES.toNanos(2)) {
                throw new IllegalStateException(
                        name + ": no progress for 2 min at " + n + " of " + expected + "; see " + log + "\n" + tail());
            }
            // Counting can be expensive (PostgreSQL's count(*) scans the table) and competes with the writer for the
            // same cores: far from the end, sleep up to half the expected remaining time; near it, every pollMillis.
            long sleep = pollMillis;
            if (firstNanos != 0 && n > firstCount) {
                double perNano = (n - firstCount) / (double) (now - firstNanos);
                long remainingMillis = (long) ((expected - n) / perNano / 2e6);
                sleep = Math.clamp(remainingMillis, pollMillis, Math.max(pollMillis, 2000));
            }
            Thread.sleep(sleep);
        }
    }

    /** The worker's process. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** Peak RSS of the worker JVM in MiB (VmHWM), or -1. */
    private long rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The last lines of the worker log that mention an error, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            List<String> errors = lines.stream()
                    .filter(l -> l.contains("ERROR") || l.contains("Exception") || l.startsWith("Caused by"))
                    .toList();
            List<String> pick = errors.isEmpty() ? lines : errors;
            return String.join("\n", pick.subList(Math.max(0, pick.size() - 15), pick.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: ConnectStandalone's shutdown hook stops the connector
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
