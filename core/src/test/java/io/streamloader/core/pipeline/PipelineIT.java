package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.WriteResult;
import io.streamloader.testing.TestingKafka;
import io.streamloader.testing.TestingRecordingSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The pipeline contract against a real Kafka broker: nothing lost, nothing stored twice, failures isolated. */
class PipelineIT {
    private static final Duration FAST = Duration.ofMillis(50);

    private final KafkaService kafka = DevStack.kafka();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final List<SinkRunner> runners = new ArrayList<>();
    private String topic;

    private String topic(TestInfo info, int partitions) {
        topic = info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
        kafka.createTopic(topic, partitions);
        kafka.createTopic(topic + ".dlq", 1);
        return topic;
    }

    private RunnerSettings settings(String name, int workers, int maxRecords) {
        return RunnerSettings.builder(name)
                .type("recording")
                .topics(List.of(topic))
                .groupId("streamloader." + name + "." + topic)
                .workers(workers)
                .batch(new BatchPolicy(maxRecords, 8L << 20, Duration.ofMillis(50)))
                .retry(new RetryPolicy(FAST, Duration.ofMillis(500), 2.0, 0.2, Duration.ZERO))
                .build();
    }

    private SinkRunner start(RunnerSettings settings, TestingRecordingSink sink) {
        SinkRunner runner = new SinkRunner(settings, sink, testing.clientProperties(), new SimpleMeterRegistry());
        runners.add(runner);
        runner.start();
        return runner;
    }

    @AfterEach
    void closeRunners() {
        runners.forEach(SinkRunner::close);
    }

    private static Set<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).collect(Collectors.toSet());
    }

    private static String json(int i) {
        return "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(150) + "\"}";
    }

    @Test
    void everyEventArrivesExactlyOnceByIdAfterFiveCrashesMidBatch(TestInfo info) {
        topic(info, 3);
        int total = 100_000;
        testing.produce(topic, "e-", total, PipelineIT::json);
        RunnerSettings settings = settings("crashy", 2, 1000);
        TestingRecordingSink sink = new TestingRecordingSink(TestingRecordingSink.STORE_ALL);

        for (int crash = 1; crash <= 5; crash++) {
            AtomicInteger writes = new AtomicInteger();
            sink.behave((s, batch) -> {
                if (writes.incrementAndGet() == 4) {
                    s.store(batch.subList(0, batch.size() / 2)); // half stored, then the process "dies"
                    // fatal, so the runner stops as a crash would (any other exception is isolated per event)
                    throw new FatalSinkException("simulated crash");
                }
                s.store(batch);
                return WriteResult.success();
            });
            SinkRunner runner = start(settings, sink);
            await().atMost(Duration.ofSeconds(60)).until(() -> runner.health().state() == RunnerHealth.State.FAILED);
            runner.close();
            assertThat(runner.health().detail()).contains("simulated crash");
        }
        assertThat(sink.stored()).hasSizeLessThan(total);

        sink.behave(TestingRecordingSink.STORE_ALL);
        start(settings, sink);
        await().atMost(Duration.ofSeconds(120)).until(() -> sink.stored().size() == total);
        assertThat(sink.stored().keySet()).isEqualTo(ids("e-", total));
        await().atMost(Duration.ofSeconds(30)).until(() -> testing.committedTotal(settings.groupId(), topic) == total);
    }

    @Test
    void retriableFailuresForTenSecondsLoseAndDuplicateNothing(TestInfo info) {
        topic(info, 3);
        int total = 20_000;
        testing.produce(topic, "r-", total, PipelineIT::json);
        long failUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        AtomicLong wholeBatchFailures = new AtomicLong();
        TestingRecordingSink sink = new TestingRecordingSink((s, batch) -> {
            if (System.nanoTime() < failUntil) {
                if (wholeBatchFailures.incrementAndGet() % 2 == 0) {
                    throw new RetriableSinkException("503 service unavailable");
                }
                // every third event throttled, the others stored: only the throttled ones may come back
                List<EventFailure> throttled = new ArrayList<>();
                List<Event> ok = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    if (i % 3 == 0) {
                        throttled.add(EventFailure.retriable(batch.get(i), "429 too many requests", "throttled"));
                    } else {
                        ok.add(batch.get(i));
                    }
                }
                s.store(ok);
                return WriteResult.failed(throttled);
            }
            s.store(batch);
            return WriteResult.success();
        });
        RunnerSettings settings = settings("flaky", 1, 500);
        SinkRunner runner = start(settings, sink);

        await().atMost(Duration.ofSeconds(10)).until(() -> runner.health().state() == RunnerHealth.State.RETRYING);
        await().atMost(Duration.ofSeconds(90)).until(() -> sink.stored().size() == total);
        assertThat(sink.stored().keySet()).isEqualTo(ids("r-", total));
        await().atMost(Duration.ofSeconds(30)).until(() -> testing.committedTotal(settings.groupId(), topic) == total);
        assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RUNNING);
        assertThat(testing.endTotal(topic + ".dlq")).as("nothing dead-lettered").isZero();
    }

    @Test
    void poisonEventsGoToTheDeadLetterTopicWithReasonsAndTheRunnerMovesOn(TestInfo info) {
        topic(info, 2);
        int total = 1000;
        testing.produce(topic, "p-", total, i -> i % 100 == 7 ? "not json {" : json(i));
        TestingRecordingSink sink = new TestingRecordingSink((s, batch) -> {
            List<EventFailure> bad = batch.stream()
                    .filter(e -> e.valueAsString().startsWith("not json"))
                    .map(e -> EventFailure.permanent(e, "value is not JSON: unexpected end of input", "parse_error"))
                    .toList();
            s.store(batch.stream()
                    .filter(e -> !e.valueAsString().startsWith("not json"))
                    .toList());
            return WriteResult.failed(bad);
        });
        RunnerSettings settings = settings("strict", 1, 100);
        start(settings, sink);

        await().atMost(Duration.ofSeconds(60)).until(() -> testing.committedTotal(settings.groupId(), topic) == total);
        assertThat(sink.stored()).hasSize(990);
        List<ConsumerRecord<byte[], byte[]>> letters = testing.readAll(topic + ".dlq", 10);
        assertThat(letters).hasSize(10);
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not json {");
            assertThat(header(letter, "sl.error.sink")).isEqualTo("strict");
            assertThat(header(letter, "sl.error.reason")).isEqualTo("value is not JSON: unexpected end of input");
            assertThat(header(letter, "sl.error.class")).isEqualTo("parse_error");
            assertThat(header(letter, "sl.source.topic")).isEqualTo(topic);
            assertThat(header(letter, "sl.source.partition")).isIn("0", "1");
            assertThat(Integer.parseInt(header(letter, Event.ID_HEADER).substring(2)) % 100)
                    .isEqualTo(7);
            assertThat(Long.parseLong(header(letter, "sl.source.offset"))).isNotNegative();
        }
    }

    @Test
    void aSinkThrowingForOneEventOfABatchOf500CostsThatEventAlone(TestInfo info) {
        topic(info, 1);
        int total = 500;
        String poison = "i-317";
        testing.produce(topic, "i-", total, PipelineIT::json);
        List<Integer> batchSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        TestingRecordingSink sink = new TestingRecordingSink((s, batch) -> {
            batchSizes.add(batch.size());
            for (Event e : batch) {
                if (e.id().equals(poison)) { // a sink bug, before anything of the batch is stored
                    throw new IllegalStateException(
                            "codec cannot encode field n=" + e.valueAsString().length());
                }
            }
            s.store(batch);
            return WriteResult.success();
        });
        RunnerSettings base = settings("isolating", 1, total);
        RunnerSettings settings = base.withBatch(new BatchPolicy(total, 8L << 20, Duration.ofSeconds(5)));
        SinkRunner runner = start(settings, sink);

        await().atMost(Duration.ofSeconds(60)).until(() -> testing.committedTotal(settings.groupId(), topic) == total);
        assertThat(batchSizes.getFirst()).as("one batch of 500").isEqualTo(total);
        Set<String> good = new java.util.HashSet<>(ids("i-", total));
        good.remove(poison);
        assertThat(sink.stored().keySet()).isEqualTo(good);
        for (String id : good) {
            assertThat(sink.writesOf(id)).as("%s stored once", id).isEqualTo(1);
        }
        List<ConsumerRecord<byte[], byte[]>> letters = testing.readAll(topic + ".dlq", 1);
        assertThat(letters).hasSize(1);
        ConsumerRecord<byte[], byte[]> letter = letters.getFirst();
        assertThat(header(letter, Event.ID_HEADER)).isEqualTo(poison);
        assertThat(header(letter, "sl.error.class")).isEqualTo("java.lang.IllegalStateException");
        assertThat(header(letter, "sl.error.reason"))
                .isEqualTo("codec cannot encode field n=" + json(317).length());
        assertThat(header(letter, "sl.source.offset")).isEqualTo("317");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(json(317));
        assertThat(batchSizes.size())
                .as("write calls: the batch, then halves down to the event (1 + 2 * ceil(log2 500))")
                .isLessThanOrEqualTo(1 + 2 * 9);
        assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.RUNNING);
        assertThat(testing.endTotal(topic + ".dlq")).isEqualTo(1);
    }

    @Test
    void aStuckSinkDoesNotHoldUpAnotherSinkOnTheSameTopic(TestInfo info) {
        topic(info, 2);
        int total = 5000;
        testing.produce(topic, "s-", total, PipelineIT::json);
        TestingRecordingSink stuck = new TestingRecordingSink((s, batch) -> {
            throw new RetriableSinkException("connection refused");
        });
        TestingRecordingSink healthy = new TestingRecordingSink(TestingRecordingSink.STORE_ALL);
        SinkRunner stuckRunner = start(settings("stuck", 1, 500), stuck);
        RunnerSettings healthySettings = settings("healthy", 1, 500);
        start(healthySettings, healthy);

        await().atMost(Duration.ofSeconds(60)).until(() -> healthy.stored().size() == total);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> testing.committedTotal(healthySettings.groupId(), topic) == total);
        assertThat(stuckRunner.health().state()).isEqualTo(RunnerHealth.State.RETRYING);
        assertThat(stuckRunner.health().detail()).contains("connection refused");
        assertThat(stuck.stored()).isEmpty();
        assertThat(stuck.calls()).as("the stuck sink keeps being retried").isGreaterThan(1);
        assertThat(testing.committedTotal(stuckRunner.settings().groupId(), topic))
                .isZero();
    }

    @Test
    void aSecondInstanceTakesOverPartitionsWithoutLoss(TestInfo info) {
        topic(info, 4);
        int total = 40_000;
        testing.produce(topic, "t-", total, PipelineIT::json);
        TestingRecordingSink sink = new TestingRecordingSink(TestingRecordingSink.STORE_ALL);
        RunnerSettings settings = settings("shared", 1, 200);
        SinkRunner first = start(settings, sink);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.stored().size() > 2000);

        SinkRunner second = start(settings, sink); // joins the group: partitions are split
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.stored().size() > 10_000);
        first.close(); // leaves the group: its partitions move to the second instance
        assertThat(first.health().state()).isEqualTo(RunnerHealth.State.STOPPED);

        await().atMost(Duration.ofSeconds(90)).until(() -> sink.stored().size() == total);
        assertThat(sink.stored().keySet()).isEqualTo(ids("t-", total));
        await().atMost(Duration.ofSeconds(30)).until(() -> testing.committedTotal(settings.groupId(), topic) == total);
        assertThat(second.health().state()).isEqualTo(RunnerHealth.State.RUNNING);
    }

    @Test
    void closeCommitsWhatWasWrittenAndStopsPromptly(TestInfo info) {
        topic(info, 2);
        int total = 3000;
        testing.produce(topic, "c-", total, PipelineIT::json);
        TestingRecordingSink sink = new TestingRecordingSink(TestingRecordingSink.STORE_ALL);
        RunnerSettings settings = settings("closing", 2, 100);
        SinkRunner runner = start(settings, sink);
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.stored().size() == total);

        long start = System.nanoTime();
        runner.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(testing.committedTotal(settings.groupId(), topic)).isEqualTo(total);
        assertThat(runner.health().state()).isEqualTo(RunnerHealth.State.STOPPED);
    }

    @Test
    void anIdleRunnerStillReportsAnUnreachableStore(TestInfo info) {
        topic(info, 1);
        TestingRecordingSink sink = new TestingRecordingSink(TestingRecordingSink.STORE_ALL);
        SinkRunner runner = start(settings("idle", 1, 100), sink);
        await().atMost(Duration.ofSeconds(30)).until(() -> runner.health().state() == RunnerHealth.State.RUNNING);
        assertThat(runner.checkStore(Duration.ofSeconds(2))).isEmpty();

        sink.unreachable("connection refused: localhost:9200");
        assertThat(runner.checkStore(Duration.ofSeconds(2))).contains("connection refused: localhost:9200");
        assertThat(runner.health().state())
                .as("no write failed, so the state alone cannot tell")
                .isEqualTo(RunnerHealth.State.RUNNING);

        sink.unreachable(null);
        assertThat(runner.checkStore(Duration.ofSeconds(2))).isEmpty();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
