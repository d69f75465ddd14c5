package io.streamloader.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL from zonky's embedded binaries, started as child processes (as root inside {@code unshare -U}, which
 * zonky does itself). The data directory is fixed and never cleaned, so a restart serves the same databases.
 */
public final class PostgresService implements DevService {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresService.class);
    private static final String USER = "postgres";
    private static final String DATABASE = "postgres";

    private final Path dataDir;
    private int port;
    private EmbeddedPostgres postgres;

    /** A server on {@code port} (0 = a free port, chosen at the first start) keeping its cluster in {@code dataDir}. */
    public PostgresService(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    @Override
    public String name() {
        return "PostgreSQL";
    }

    @Override
    public synchronized void start() {
        if (postgres != null) {
            return;
        }
        port = Ports.claim(name(), port);
        long started = System.nanoTime();
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir.resolve("data"))
                    .setCleanDataDirectory(false) // restarts must find the same data
                    // Binaries are extracted once per machine, not per build.
                    .setOverrideWorkingDirectory(
                            Dirs.cache().resolve("embedded-pg").toFile())
                    .setPGStartupWait(Duration.ofSeconds(30))
                    // Throwaway data: durability is not worth the fsync cost in tests and dev mode.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("listen_addresses", Ports.HOST)
                    .setServerConfig("max_connections", "200")
                    .start();
        } catch (IOException | RuntimeException e) {
            // zonky leaves a postmaster behind when its startup wait fails; the server's output went to SLF4J.
            killPostmaster();
            throw new DevStackException(name() + " failed to start on port " + port + ": " + e.getMessage(), e);
        }
        postmasterPid().ifPresent(pid -> ChildProcess.guard(name(), pid, "INT")); // SIGINT = fast shutdown
        LOG.info("{} started on {} in {} ms (data in {})", name(), jdbcUrl(), elapsed(started), dataDir);
    }

    @Override
    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("{} on port {}: stop failed", name(), port, e);
        }
        postgres = null;
        LOG.info("{} on port {} stopped", name(), port);
    }

    @Override
    public synchronized boolean isRunning() {
        return postgres != null;
    }

    public synchronized int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}; stable across restarts once started. */
    public synchronized String jdbcUrl() {
        return "jdbc:postgresql://" + Ports.HOST + ":" + port + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return "postgres";
    }

    public String database() {
        return DATABASE;
    }

    /** Ends a postmaster left running by a failed start; postmaster.pid exists only while one runs. */
    private void killPostmaster() {
        postmasterPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroy); // SIGTERM = smart shutdown
    }

    /** The running postmaster's pid, from the first line of postmaster.pid; the benches sum its CPU and its children's. */
    public java.util.Optional<Long> postmasterPid() {
        Path pidFile = dataDir.resolve("data").resolve("postmaster.pid");
        try {
            if (Files.exists(pidFile)) {
                return java.util.Optional.of(
                        Long.parseLong(Files.readAllLines(pidFile).getFirst().trim()));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot read {}", name(), pidFile, e);
        }
        return java.util.Optional.empty();
    }

    private static long elapsed(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
