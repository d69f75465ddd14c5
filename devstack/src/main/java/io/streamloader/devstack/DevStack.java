package io.streamloader.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide local services for integration tests: each starts on its first use only (a test that needs Kafka
 * alone never starts Elasticsearch), at most once per JVM, and is stopped by a shutdown hook that also ends every
 * child process. Data lives in a per-run directory under {@code java.io.tmpdir}, removed at shutdown.
 *
 * <p>System properties: {@value #SERVICES_PROPERTY} = {@code local} (default) or {@code containers} (S3 and MongoDB
 * from Testcontainers); {@code streamloader.devstack.<kafka|elasticsearch|postgres|s3|mongo>.port} for a fixed port
 * (default 0 = free); {@value #KEEP_DATA_PROPERTY} = {@code true} keeps the run directory.
 */
public final class DevStack {

    public static final String SERVICES_PROPERTY = "streamloader.services";
    public static final String KEEP_DATA_PROPERTY = "streamloader.devstack.keep-data";

    private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);

    private static final LazyService<KafkaService> KAFKA =
            new LazyService<>(() -> new KafkaService(dir("kafka"), port("kafka")));
    private static final LazyService<ElasticsearchService> ELASTICSEARCH =
            new LazyService<>(() -> new ElasticsearchService(dir("elasticsearch"), port("elasticsearch")));
    private static final LazyService<PostgresService> POSTGRES =
            new LazyService<>(() -> new PostgresService(dir("postgres"), port("postgres")));
    private static final LazyService<S3Service> S3 = new LazyService<>(
            () -> containersMode() ? Containers.s3(port("s3")) : new LocalS3Service(dir("s3"), port("s3")));
    private static final LazyService<MongoService> MONGO = new LazyService<>(
            () -> containersMode() ? Containers.mongo(port("mongo")) : new LocalMongoService(port("mongo")));

    private static volatile Path runDir;

    /**
     * {@code false} leaves stopping to the caller ({@link #stopAll()}): JVM shutdown hooks run concurrently, so a
     * process that must stop its own users of the services first (dev mode) stops the services itself afterwards.
     */
    public static final String SHUTDOWN_HOOK_PROPERTY = "streamloader.devstack.shutdown-hook";

    static {
        // registered when the first service is asked for (that loads this class), before anything starts
        if (!"false".equals(System.getProperty(SHUTDOWN_HOOK_PROPERTY))) {
            Runtime.getRuntime().addShutdownHook(new Thread(DevStack::shutdown, "devstack-shutdown"));
        }
    }

    private DevStack() {}

    public static KafkaService kafka() {
        return KAFKA.get();
    }

    public static ElasticsearchService elasticsearch() {
        return ELASTICSEARCH.get();
    }

    public static PostgresService postgres() {
        return POSTGRES.get();
    }

    public static S3Service s3() {
        return S3.get();
    }

    public static MongoService mongo() {
        return MONGO.get();
    }

    /** True when {@value #SERVICES_PROPERTY} asks for containers (S3 and MongoDB only). */
    public static boolean containersMode() {
        String mode = System.getProperty(SERVICES_PROPERTY, "local").trim();
        return switch (mode) {
            case "local", "" -> false;
            case "containers" -> true;
            default ->
                throw new DevStackException(SERVICES_PROPERTY + " must be 'local' or 'containers', got '" + mode + "'");
        };
    }

    private static int port(String service) {
        return Integer.getInteger("streamloader.devstack." + service + ".port", 0);
    }

    /**
     * A directory beside the services' data, created on first use and deleted with them at exit: for state that must
     * not outlive the services it belongs to (e.g. Kafka Streams' local stores of the dev run's Kafka).
     */
    public static Path dataDir(String name) {
        return dir(name);
    }

    /** A service's data directory inside this JVM's run directory, created on first use. */
    private static synchronized Path dir(String service) {
        try {
            if (runDir == null) {
                Path base = Path.of(System.getProperty("java.io.tmpdir"), "streamloader-devstack");
                Files.createDirectories(base);
                runDir = Files.createTempDirectory(base, "run-");
            }
            return Files.createDirectories(runDir.resolve(service));
        } catch (IOException e) {
            throw new DevStackException("cannot create a data directory for " + service + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops every started service and deletes the run directory (unless kept). Idempotent; also runs as a JVM
     * shutdown hook. {@code streamloader dev} calls it itself after stopping the sinks, so nothing sees a store
     * vanish while it is still committing.
     */
    public static synchronized void stopAll() {
        shutdown();
    }

    private static void shutdown() {
        // Reverse order of dependency in tests: stores first, Kafka last (sinks may still be committing).
        for (LazyService<?> service : List.of(ELASTICSEARCH, MONGO, S3, POSTGRES, KAFKA)) {
            try {
                service.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping a local service at shutdown failed", e);
            }
        }
        ChildProcess.destroyAll();
        if (!Boolean.getBoolean(KEEP_DATA_PROPERTY)) {
            Dirs.deleteQuietly(runDir);
        }
    }
}
