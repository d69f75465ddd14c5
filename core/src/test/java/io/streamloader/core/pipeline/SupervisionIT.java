package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.SupervisionPolicy.OnFailure;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.testing.TestingKafka;
import io.streamloader.testing.TestingRecordingSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Runners whose store refuses with a fatal error, against a real broker through the real pipeline. */
class SupervisionIT {
    private final KafkaService kafka = DevStack.kafka();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final List<SinkRunner> runners = new ArrayList<>();
    private String topic;

    @AfterEach
    void closeRunners() {
        runners.forEach(SinkRunner::close);
    }

    @Test
    void aRunnerWhoseStoreRefusesForTenSecondsIsRestartedAndCatchesUpLosingNothing(TestInfo info) {
        topic(info, 3);
        int total = 20_000;
        testing.produce(topic, "f-", total, i -> "{\"n\":" + i + "}");
        long refuseUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        TestingRecordingSink sink = new TestingRecordingSink((s, batch) -> {
            if (System.nanoTime() < refuseUntil) {
                throw new FatalSinkException("authentication refused by the store");
            }
            s.store(batch);
            return io.streamloader.spi.WriteResult.success();
        });
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunnerSettings settings = settings("refused", 2, OnFailure.RESTART);
        SinkRunner runner = new SinkRunner(settings, sink, testing.clientProperties(), registry);
        runners.add(runner);
        Set<String> seenDetails = ConcurrentHashMap.newKeySet();
        runner.start();

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    RunnerHealth health = runner.health();
                    seenDetails.add(health.state() + " " + health.detail());
                    return health.state() == RunnerHealth.State.FAILED
                            && health.detail().startsWith("restarting in ")
                            && health.detail().contains("after failure #2: ");
                });
        assertThat(runner.health().detail()).contains("authentication refused by the store");
        assertThat(sink.stored()).as("nothing stored while the store refuses").isEmpty();
        assertThat(testing.committedTotal(settings.groupId(), topic))
                .as("nothing committed")
                .isZero();

        await().atMost(Duration.ofSeconds(120)).until(() -> sink.stored().size() == total);
        assertThat(sink.stored().keySet()).isEqualTo(ids(total));
        assertThat(sink.stored().keySet()).allMatch(id -> sink.writesOf(id) == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> testing.committedTotal(settings.groupId(), topic) == total);
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.health().state() == RunnerHealth.State.RUNNING);
        assertThat(runner.restarts()).isGreaterThan(1);
        assertThat(runner.health().detail())
                .isEqualTo("restarted " + runner.restarts() + " time(s); last failure: "
                        + runner.health()
                                .detail()
                                .substring(runner.health().detail().indexOf("last failure: ") + 14))
                .contains("authentication refused by the store");
        assertThat(registry.get("streamloader.runner.restarts")
                        .tag("sink", "refused")
                        .counter()
                        .count())
                .isEqualTo(runner.restarts());
        // every failed set of workers closed its threads and clients: what runs is one set, not one per restart
        assertThat(liveThreads("sl-refused-")).hasSize(2 * settings.workers() + 1);
        assertThat(liveThreads("kafka-producer-network-thread | sl-refused-dlq"))
                .hasSizeLessThanOrEqualTo(1);

        runner.close();
        assertThat(liveThreads("sl-refused-")).isEmpty();
        assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.STOPPED);
    }

    @Test
    void onFailureStopLeavesTheRunnerFailedAndExitAsksTheProcessToExit(TestInfo info) {
        topic(info, 1);
        testing.produce(topic, "s-", 10, i -> "{}");
        TestingRecordingSink sink = new TestingRecordingSink((s, batch) -> {
            throw new FatalSinkException("bucket missing and not creatable");
        });
        SinkRunner stop = start(settings("stopper", 1, OnFailure.STOP), sink);
        SinkRunner exit = start(settings("exiter", 1, OnFailure.EXIT), sink);

        await().atMost(Duration.ofSeconds(30)).until(stop::hasFailedForGood);
        await().atMost(Duration.ofSeconds(30)).until(exit::hasFailedForGood);
        assertThat(stop.health().state()).isEqualTo(RunnerHealth.State.FAILED);
        assertThat(stop.health().detail())
                .contains("bucket missing and not creatable")
                .contains("on-failure: stop");
        assertThat(stop.exitRequested()).isFalse();
        assertThat(exit.exitRequested()).isTrue();
        assertThat(exit.health().detail())
                .contains("bucket missing and not creatable")
                .contains("on-failure: exit");
        assertThat(stop.restarts()).isZero();
        assertThat(liveThreads("sl-stopper-"))
                .as("a stopped runner keeps no threads")
                .isEmpty();
        assertThat(testing.committedTotal(stop.settings().groupId(), topic)).isZero();
    }

    private SinkRunner start(RunnerSettings settings, TestingRecordingSink sink) {
        SinkRunner runner = new SinkRunner(settings, sink, testing.clientProperties(), new SimpleMeterRegistry());
        runners.add(runner);
        runner.start();
        return runner;
    }

    private void topic(TestInfo info, int partitions) {
        topic = info.getTestMethod().orElseThrow().getName().substring(0, 20) + "-" + System.nanoTime();
        kafka.createTopic(topic, partitions);
        kafka.createTopic(topic + ".dlq", 1);
    }

    private RunnerSettings settings(String name, int workers, OnFailure onFailure) {
        return RunnerSettings.builder(name)
                .type("recording")
                .topics(List.of(topic))
                .groupId("streamloader." + name + "." + topic)
                .workers(workers)
                .batch(new BatchPolicy(500, 8L << 20, Duration.ofMillis(50)))
                .retry(new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(500), 2.0, 0.2, Duration.ZERO))
                .supervision(new SupervisionPolicy(onFailure, Duration.ofMillis(500), Duration.ofSeconds(2)))
                .build();
    }

    private static Set<String> ids(int count) {
        return IntStream.range(0, count).mapToObj(i -> "f-" + i).collect(Collectors.toSet());
    }

    private static List<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .toList();
    }
}
