package io.streamloader.launcher;

import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.DevStackException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The only launcher class that touches devstack, which the distribution ships in {@code dev-lib/} and puts on the
 * classpath for {@code dev} alone: {@link DevCommand} loads this class only after it found the dev stack there, so
 * {@code run} and every other command work from {@code lib/} without it.
 */
final class DevServices {
    /** devstack's property naming the directory that holds the Elasticsearch zip and the s3proxy jar. */
    static final String ARTIFACTS_PROPERTY = "streamloader.devstack.artifacts";

    private DevServices() {}

    /** A service could not start; the message says which and why. */
    static final class StartFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StartFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Fixed ports, data kept or not, stopping left to {@link #stopAll()}; the distribution's own service files. */
    static void configure(DevCommand options) {
        System.setProperty("streamloader.devstack.kafka.port", Integer.toString(options.kafkaPort));
        System.setProperty("streamloader.devstack.elasticsearch.port", Integer.toString(options.elasticsearchPort));
        System.setProperty("streamloader.devstack.postgres.port", Integer.toString(options.postgresPort));
        System.setProperty("streamloader.devstack.s3.port", Integer.toString(options.s3Port));
        System.setProperty("streamloader.devstack.mongo.port", Integer.toString(options.mongoPort));
        System.setProperty(DevStack.KEEP_DATA_PROPERTY, Boolean.toString(options.keepData));
        // sinks and API stop first, then the services (see DevCommand), never concurrently
        System.setProperty(DevStack.SHUTDOWN_HOOK_PROPERTY, "false");
        // the distribution carries the Elasticsearch zip and the s3proxy jar (no local Maven repository needed);
        // from a checkout's test classpath devstack finds them in the local repository instead
        Path shipped = Startup.resolve(Path.of("dev-lib", "services"));
        if (System.getProperty(ARTIFACTS_PROPERTY) == null && Files.isDirectory(shipped)) {
            System.setProperty(ARTIFACTS_PROPERTY, shipped.toString());
        }
    }

    /** Starts the enabled services concurrently (Elasticsearch dominates) and returns the dev config's values. */
    static Map<String, String> start(DevCommand options) throws StartFailure {
        try {
            return startServices(options);
        } catch (DevStackException | CompletionException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new StartFailure(cause.getMessage(), cause);
        }
    }

    private static Map<String, String> startServices(DevCommand options) {
        Map<String, String> env = new HashMap<>();
        env.put("STREAMLOADER_HOME", Startup.resolve(Path.of(".")).normalize().toString());
        env.put("API_PORT", Integer.toString(options.apiPort));
        env.put("ADMIN_PORT", Integer.toString(options.adminPort));
        CompletableFuture<Void> es = options.noElasticsearch
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> DevStack.elasticsearch());
        CompletableFuture<Void> archive = options.noArchive
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> {
                    DevStack.postgres();
                    DevStack.s3();
                });
        env.put("KAFKA_BOOTSTRAP_SERVERS", DevStack.kafka().bootstrapServers());
        // the rollup's local stores live and go with this run's Kafka: kept across runs, they would describe another
        // broker's topics and be thrown away as corrupted at every start
        env.put("STREAMS_STATE_DIR", DevStack.dataDir("streams").toString());
        env.put("MONGO_ENABLED", Boolean.toString(!options.noMongo));
        env.put(
                "MONGO_URL",
                options.noMongo ? "mongodb://127.0.0.1:9" : DevStack.mongo().connectionString());
        CompletableFuture.allOf(es, archive).join();
        env.put("ELASTICSEARCH_ENABLED", Boolean.toString(!options.noElasticsearch));
        env.put(
                "ELASTICSEARCH_URL",
                options.noElasticsearch
                        ? "http://127.0.0.1:9"
                        : DevStack.elasticsearch().url());
        env.put("ARCHIVE_ENABLED", Boolean.toString(!options.noArchive));
        env.put(
                "POSTGRES_URL",
                options.noArchive
                        ? "jdbc:postgresql://127.0.0.1:9/postgres"
                        : DevStack.postgres().jdbcUrl());
        env.put(
                "S3_ENDPOINT",
                options.noArchive ? "http://127.0.0.1:9" : DevStack.s3().endpoint());
        // seed 002's football-data.org poll source runs when the user has a token, as the original's /footdata did
        String footToken = System.getenv("FOOT_TOKEN");
        boolean foot = footToken != null && !footToken.isBlank();
        env.put("FOOT_SOURCE_ENABLED", Boolean.toString(foot));
        if (foot) {
            env.put("FOOT_TOKEN", footToken);
        }
        return env;
    }

    /** Stops every started service and removes their data unless kept; idempotent. */
    static void stopAll() {
        DevStack.stopAll();
    }
}
