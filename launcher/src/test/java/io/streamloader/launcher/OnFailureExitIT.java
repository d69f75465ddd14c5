package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.StreamloaderConfig;
import io.streamloader.core.pipeline.ConfiguredSink;
import io.streamloader.core.plugin.PluginRegistry;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.SinkContext;
import io.streamloader.testing.TestingKafka;
import io.streamloader.testing.TestingRecordingSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code on-failure} as the launcher applies it: {@code exit} ends {@code run} with exit code 1, restart does not. */
class OnFailureExitIT {
    @TempDir
    Path dir;

    @Test
    void aRunnerFailingWithOnFailureExitEndsTheRunWithExitCodeOne() throws Exception {
        KafkaService kafka = DevStack.kafka();
        String topic = "exit-" + System.nanoTime();
        kafka.createTopic(topic, 1);
        new TestingKafka(kafka.bootstrapServers()).produce(topic, "x-", 5, i -> "{}");
        StreamloaderConfig config =
                ConfigLoader.parse("""
                kafka: { bootstrap-servers: "%s" }
                admin: { enabled: false }
                topics:
                  %s: { partitions: 1 }
                sinks:
                  keeps-restarting: { type: recording, topics: [%s], restart: { initial-backoff: 100ms } }
                  exits: { type: recording, topics: [%s], on-failure: exit }
                """.formatted(kafka.bootstrapServers(), topic, topic, topic), Map.of());
        TestingRecordingSink refusing = new TestingRecordingSink((s, batch) -> {
            throw new FatalSinkException("authentication refused");
        });
        Startup startup = new Startup(
                config,
                PluginRegistry.fromDirectory(dir),
                Map.of(
                        "keeps-restarting",
                        ConfiguredSink.parse(refusing, new SinkContext("keeps-restarting", Map.of())),
                        "exits",
                        ConfiguredSink.parse(refusing, new SinkContext("exits", Map.of()))),
                Optional.empty(),
                List.of());
        Platform platform = new Platform(startup).start();

        long start = System.nanoTime();
        int code = RunCommand.runUntilStopped(platform);

        assertThat(code).isEqualTo(ExitCodes.FAILURE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
        assertThat(platform.runners())
                .filteredOn(r -> r.name().equals("exits"))
                .singleElement()
                .satisfies(r -> assertThat(r.exitRequested()).isTrue());
        assertThat(platform.runners())
                .filteredOn(r -> r.name().equals("keeps-restarting"))
                .singleElement()
                .satisfies(r -> assertThat(r.hasFailedForGood()).isFalse());
    }
}
