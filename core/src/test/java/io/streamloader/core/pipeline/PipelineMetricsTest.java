package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The runner-state and unresolved-age gauges, and health calling a write that does not return "stuck". */
class PipelineMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PipelineMetrics metrics = new PipelineMetrics(registry, "docs");

    private double state(RunnerHealth.State state) {
        return registry.get("streamloader.sink.state")
                .tag("sink", "docs")
                .tag("state", state.name())
                .gauge()
                .value();
    }

    @Test
    void theStateGaugeShowsTheWorstWorkerStateAndARestartedWorkerReplacesItsPredecessor() {
        HealthTracker first = new HealthTracker();
        HealthTracker second = new HealthTracker();
        metrics.track("sl-docs-0", first);
        metrics.track("sl-docs-1", second);
        first.running();
        second.running();
        assertThat(state(RunnerHealth.State.RUNNING)).isEqualTo(1);
        assertThat(state(RunnerHealth.State.RETRYING)).isZero();

        second.retrying("sink docs: retrying 1 event(s), first orders-0@3: 429");
        assertThat(state(RunnerHealth.State.RETRYING)).isEqualTo(1);
        assertThat(state(RunnerHealth.State.RUNNING)).isZero();

        second.failed("authentication refused");
        assertThat(state(RunnerHealth.State.FAILED)).isEqualTo(1);

        HealthTracker restarted = new HealthTracker();
        restarted.running();
        metrics.track("sl-docs-1", restarted);
        assertThat(state(RunnerHealth.State.RUNNING)).isEqualTo(1);
        assertThat(state(RunnerHealth.State.FAILED)).isZero();
    }

    @Test
    void aBatchInTheSinksHandsTooLongIsReportedStuckWithItsFirstEventAndAgesTheGauge() {
        HealthTracker health = new HealthTracker(Duration.ofMillis(50));
        metrics.track("sl-docs-0", health);
        health.running();
        assertThat(registry.get("streamloader.sink.unresolved.age").gauge().value())
                .isZero();

        health.batchStarted(new ConsumerRecord<>("orders", 2, 41L, null, null));
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> health.get().state() == RunnerHealth.State.RETRYING);
        assertThat(health.get().detail())
                .startsWith("stuck: the sink has not finished a batch starting at orders-2@41");
        assertThat(registry.get("streamloader.sink.unresolved.age").gauge().value())
                .isGreaterThanOrEqualTo(0.05);
        assertThat(state(RunnerHealth.State.RETRYING)).isEqualTo(1);

        health.batchDone();
        assertThat(health.get().state()).isEqualTo(RunnerHealth.State.RUNNING);
        assertThat(registry.get("streamloader.sink.unresolved.age").gauge().value())
                .isZero();
    }

    private double letters(String reason) {
        return registry.get(PipelineMetrics.DEAD_LETTERS_BY_REASON)
                .tag("sink", "docs")
                .tag("reason", reason)
                .counter()
                .count();
    }

    @Test
    void deadLettersAreCountedByErrorClassWithTheTagCleanedAndItsValuesBounded() {
        metrics.deadLettered("mapper_parsing_exception", 1);
        metrics.deadLettered("mapper_parsing_exception", 2);
        metrics.deadLettered("java.lang.IllegalStateException", 1);
        metrics.deadLettered("", 1);
        metrics.deadLettered("bad <class>\nname", 1);

        assertThat(letters("mapper_parsing_exception")).isEqualTo(3);
        assertThat(letters("java.lang.IllegalStateException")).isEqualTo(1);
        assertThat(letters("unknown")).isEqualTo(1);
        assertThat(letters("bad__class__name")).isEqualTo(1);
        assertThat(metrics.deadLettered.count()).isEqualTo(6);

        for (int i = 0; i < PipelineMetrics.MAX_REASONS + 20; i++) {
            metrics.deadLettered("Class" + i, 1);
        }
        assertThat(registry.find(PipelineMetrics.DEAD_LETTERS_BY_REASON).counters())
                .hasSize(PipelineMetrics.MAX_REASONS + 1);
        assertThat(letters(PipelineMetrics.OTHER)).isEqualTo(24); // 4 reasons + 46 fit, 24 overflow
        assertThat(PipelineMetrics.reasonTag("x".repeat(500))).hasSize(100);
    }
}
