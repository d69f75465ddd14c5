package io.streamloader.bench.distribution;

import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.PostgresService;
import io.streamloader.devstack.S3Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code streamloader.yaml} for the distribution: one topic read by all three built-in sinks, each its own runner
 * and consumer group ({@code <topic>.<sink>}), writing to the devstack services; the admin server off so that two
 * processes can run side by side.
 */
public final class RunConfig {
    /** The sink names in the file, in the order the benches report them. */
    public static final List<String> SINKS = List.of("elasticsearch", "mongo", "postgres");

    private RunConfig() {}

    public static String group(String topic, String sink) {
        return topic + "." + sink;
    }

    /**
     * Writes {@code streamloader.yaml} into {@code dir}.
     *
     * @param topicConfig the topic's {@code config:} flow map, e.g. {@code "{ max.message.bytes: 4194304 }"}, or ""
     * @param postgresConfig extra lines for the postgres-minio sink's {@code config:} (each indented six spaces)
     */
    public static Path write(
            Path dir,
            String bootstrap,
            String topic,
            int partitions,
            Stores stores,
            String topicConfig,
            String postgresConfig)
            throws IOException {
        PostgresService pg = DevStack.postgres();
        S3Service s3 = DevStack.s3();
        Path config = dir.resolve("streamloader.yaml");
        Files.writeString(config, """
                kafka:
                  bootstrap-servers: %1$s
                topics:
                  %2$s: { partitions: %3$d%17$s }
                admin: { enabled: false }
                sinks:
                  elasticsearch:
                    type: elasticsearch
                    topics: [%2$s]
                    group-id: %4$s
                    config: { urls: "%5$s" }
                  mongo:
                    type: mongo
                    topics: [%2$s]
                    group-id: %6$s
                    config: { connection-string: "%7$s", database: %8$s }
                  postgres:
                    type: postgres-minio
                    topics: [%2$s]
                    group-id: %9$s
                    config:
                      jdbc.url: "%10$s"
                      jdbc.user: %11$s
                      jdbc.password: %12$s
                      schema: %13$s
                      s3.endpoint: "%14$s"
                      s3.access-key: %15$s
                      s3.secret-key: %16$s
                      s3.bucket: %2$s
                %18$s""".formatted(
                        bootstrap,
                        topic,
                        partitions,
                        group(topic, "elasticsearch"),
                        DevStack.elasticsearch().url(),
                        group(topic, "mongo"),
                        DevStack.mongo().connectionString(),
                        Stores.MONGO_DATABASE,
                        group(topic, "postgres"),
                        pg.jdbcUrl(),
                        pg.user(),
                        pg.password(),
                        stores.schema(),
                        s3.endpoint(),
                        s3.accessKey(),
                        s3.secretKey(),
                        topicConfig.isEmpty() ? "" : ", config: " + topicConfig,
                        postgresConfig));
        return config;
    }
}
