package io.streamloader.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.KafkaService;
import io.streamloader.rollup.TestingClicks.Posted;
import io.streamloader.testing.TestingKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The rollup on a real broker with exactly-once processing: restarts and re-posts do not change the result. */
class ClickRollupProcessorIT {

    private static final Duration PATIENCE = Duration.ofMinutes(3);

    private final KafkaService kafka = DevStack.kafka();
    private final TestingKafka testing = new TestingKafka(kafka.bootstrapServers());
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path stateDirs;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    /** Input (3 partitions), compacted output and dead-letter topic named after the test. */
    private String topics(TestInfo info) {
        String input = info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
        kafka.createTopic(input, 3);
        kafka.createTopic(input + ".dlq", 1);
        createCompacted(input + ".rollups");
        return input;
    }

    private void createCompacted(String topic) {
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all()
                    .get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private ClickRollupConfig config(String input, String output, String applicationId, String stateDir) {
        return new ClickRollupConfig(
                "clickstream",
                input,
                output,
                input + ".dlq",
                applicationId,
                stateDirs.resolve(stateDir),
                2,
                true,
                Duration.ofMillis(100),
                1 << 20,
                Duration.ofDays(7),
                Map.of());
    }

    private ClickRollupProcessor start(ClickRollupConfig config) {
        ClickRollupProcessor processor = new ClickRollupProcessor(config, testing.clientProperties());
        open.add(processor);
        processor.start();
        return processor;
    }

    private TestingClickProducer producer;

    private void post(String topic, List<Posted> clicks) {
        if (producer == null) {
            producer = new TestingClickProducer(kafka.bootstrapServers());
            open.add(producer);
        }
        producer.sendAll(topic, clicks);
    }

    private TestingRollups rollups(String topic) {
        TestingRollups rollups = new TestingRollups(kafka.bootstrapServers(), topic);
        open.add(rollups);
        return rollups;
    }

    @Test
    void restartingMidStreamWithLostLocalStateGivesTheSameResultAsAnUninterruptedRun(TestInfo info) {
        String input = topics(info);
        String output = input + ".rollups";
        List<Posted> first = TestingClicks.random("a-", 600, 1);
        List<Posted> second = TestingClicks.random("b-", 600, 2);
        List<Posted> reposts = first.subList(100, 160); // the same events posted again, same ids
        List<Posted> all = new ArrayList<>(first);
        all.addAll(second);
        all.addAll(reposts);

        ClickRollupProcessor run1 = start(config(input, output, input + ".app", "run1"));
        post(input, first);
        TestingRollups rollups = rollups(output);
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(TestingClicks.normalized(rollups.poll()))
                        .isEqualTo(TestingClicks.normalized(TestingClicks.expected(first))));
        assertThat(run1.health().state()).isEqualTo(RunnerHealth.State.RUNNING);

        post(input, second.subList(0, 300));
        run1.close(); // mid-stream: some of these may be processed, the rest is left for the next run
        assertThat(run1.health().state()).isEqualTo(RunnerHealth.State.STOPPED);
        post(input, second.subList(300, 600));
        post(input, reposts);

        // a fresh state directory: the state comes back from the changelog topics, as on another machine
        start(config(input, output, input + ".app", "run2"));
        // an uninterrupted run over everything, for comparison, into its own output
        createCompacted(input + ".uninterrupted");
        start(config(input, input + ".uninterrupted", input + ".other-app", "other"));

        Map<String, String> expected = TestingClicks.normalized(TestingClicks.expected(all));
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(TestingClicks.normalized(rollups.poll())).isEqualTo(expected));
        TestingRollups uninterrupted = rollups(input + ".uninterrupted");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(TestingClicks.normalized(uninterrupted.poll()))
                        .isEqualTo(expected));
        assertThat(testing.endTotal(input + ".dlq")).isZero();
    }

    @Test
    void malformedEventsAreDeadLetteredAndTheRestRolledUp(TestInfo info) {
        String input = topics(info);
        start(config(input, input + ".rollups", input + ".app", "run"));
        post(input, List.of());
        producer.send(input, "no-url", "{\"user_id\":\"u\",\"timestamp\":\"2023-07-01T00:00:00\",\"country\":\"X\"}");
        producer.send(input, "bad-ts", "[\"u\",\"2023-07-32T00:00:00\",\"http://a/\",\"X\",\"c\",\"b\",\"o\",\"d\"]");
        List<Posted> good = TestingClicks.random("g-", 50, 3);
        post(input, good);

        TestingRollups rollups = rollups(input + ".rollups");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(TestingClicks.normalized(rollups.poll()))
                        .isEqualTo(TestingClicks.normalized(TestingClicks.expected(good))));
        var letters = testing.readAll(input + ".dlq", 2);
        assertThat(letters).hasSize(2);
        assertThat(letters)
                .extracting(r ->
                        new String(r.headers().lastHeader("sl.error.reason").value()))
                .containsExactlyInAnyOrder(
                        "missing url",
                        "bad timestamp '2023-07-32T00:00:00': expected ISO-8601 such as 2023-07-10T22:04:43 (UTC)");
    }

    @Test
    void startFailsNamingMissingTopics(TestInfo info) {
        String input = info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
        kafka.createTopic(input, 1);
        ClickRollupProcessor processor = new ClickRollupProcessor(
                config(input, input + ".rollups", input + ".app", "x"), testing.clientProperties());
        open.add(processor);

        assertThatThrownBy(processor::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[" + input + ".rollups, " + input + ".dlq] do not exist");
        assertThat(processor.health().state()).isEqualTo(RunnerHealth.State.FAILED);
    }
}
