package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicsCommandIT {
    @TempDir
    Path dir;

    @Test
    void createsConfiguredTopicsWithTheirSettingsAndEachSinksDeadLetterTopicThenLeavesThemAlone() throws Exception {
        KafkaService kafka = DevStack.kafka();
        String events = "events-" + System.nanoTime();
        String rollups = "rollups-" + System.nanoTime();
        Path config = dir.resolve("streamloader.yaml");
        Files.writeString(config, """
                kafka: { bootstrap-servers: "%s" }
                topics:
                  %s: { partitions: 4, config: { max.message.bytes: 2097152 } }
                  %s: { partitions: 1, config: { cleanup.policy: compact } }
                sinks:
                  search: { type: elasticsearch, topics: [%s, %s] }
                """.formatted(kafka.bootstrapServers(), events, rollups, events, rollups));

        CliTesting first = new CliTesting();
        assertThat(first.run("topics", "create", "--config", config.toString()))
                .as(first.err.toString())
                .isZero();
        assertThat(first.out.toString()).contains("created  " + events).contains("created  " + events + ".dlq");

        try (Admin admin = kafka.admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(events, rollups, events + ".dlq"))
                    .allTopicNames()
                    .get();
            assertThat(topics.get(events).partitions()).hasSize(4);
            assertThat(topics.get(events + ".dlq").partitions()).hasSize(1);
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(
                            new ConfigResource(ConfigResource.Type.TOPIC, events),
                            new ConfigResource(ConfigResource.Type.TOPIC, rollups),
                            new ConfigResource(ConfigResource.Type.TOPIC, events + ".dlq"),
                            new ConfigResource(ConfigResource.Type.TOPIC, rollups + ".dlq")))
                    .all()
                    .get();
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, events))
                            .get("max.message.bytes")
                            .value())
                    .isEqualTo("2097152");
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, rollups))
                            .get("cleanup.policy")
                            .value())
                    .isEqualTo("compact");
            // a dead-letter topic takes its source's largest record plus room for the error headers
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, events + ".dlq"))
                            .get("max.message.bytes")
                            .value())
                    .isEqualTo(Integer.toString(2097152 + 65536));
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, rollups + ".dlq"))
                            .get("max.message.bytes")
                            .value())
                    .isEqualTo(Integer.toString(1048588 + 65536));
        }

        CliTesting again = new CliTesting();
        assertThat(again.run("topics", "create", "--config", config.toString())).isZero();
        assertThat(again.out.toString())
                .contains("exists   " + events)
                .doesNotContain("created")
                .doesNotContain("warning");
    }

    @Test
    void anUnreachableBrokerFailsWithExitCodeOne() throws Exception {
        Path config = dir.resolve("streamloader.yaml");
        Files.writeString(config, """
                kafka: { bootstrap-servers: "127.0.0.1:1" }
                topics:
                  events: {}
                """);
        CliTesting cli = new CliTesting();
        assertThat(cli.run("topics", "create", "--config", config.toString(), "--timeout", "3"))
                .isEqualTo(ExitCodes.FAILURE);
        assertThat(cli.err.toString()).contains("FAILED").contains("events");
    }
}
