package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.spi.SinkFactory;
import io.streamloader.testing.TestingFactories;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchPolicyTest {

    @Test
    void aPolicyLeavingTheRecordsToTheSinkTakesTheSinksDefaultAndKeepsTheRest() {
        BatchPolicy policy = new BatchPolicy(BatchPolicy.SINK_DEFAULT_RECORDS, 4096, Duration.ofMillis(50));

        assertThat(policy.sinkDefaultRecords()).isTrue();
        assertThat(policy.resolve(TestingFactories.withDefaultBatch("t", 4000)))
                .isEqualTo(new BatchPolicy(4000, 4096, Duration.ofMillis(50)));
        assertThat(policy.toString()).contains("maxRecords=the sink's default");
    }

    @Test
    void aPolicyWithRecordsSetIgnoresTheSinksDefault() {
        BatchPolicy policy = new BatchPolicy(10, 4096, Duration.ofMillis(50));

        assertThat(policy.sinkDefaultRecords()).isFalse();
        assertThat(policy.resolve(TestingFactories.withDefaultBatch("t", 4000))).isSameAs(policy);
    }

    @Test
    void sinksThatDoNotSayGetTheHostsDefault() {
        SinkFactory<?> plain = TestingFactories.plain("plain");

        assertThat(new BatchPolicy(BatchPolicy.SINK_DEFAULT_RECORDS, 1, Duration.ZERO)
                        .resolve(plain)
                        .maxRecords())
                .isEqualTo(SinkFactory.DEFAULT_BATCH_RECORDS)
                .isEqualTo(BatchPolicy.DEFAULT.maxRecords());
    }

    @Test
    void aRunnerCutsBatchesOfItsSinksDefaultWhenTheConfigSetsNone() {
        RunnerSettings settings = RunnerSettings.builder("s")
                .type("t")
                .topics(List.of("events"))
                .groupId("g")
                .batch(new BatchPolicy(BatchPolicy.SINK_DEFAULT_RECORDS, 4096, Duration.ofMillis(50)))
                .build();

        SinkRunner runner = new SinkRunner(
                settings,
                TestingFactories.withDefaultBatch("t", 4000),
                Map.of("bootstrap.servers", "localhost:1"),
                new SimpleMeterRegistry());

        assertThat(runner.settings().batch()).isEqualTo(new BatchPolicy(4000, 4096, Duration.ofMillis(50)));
    }

    @Test
    void anUnresolvedPolicyCannotCutBatches() {
        assertThatThrownBy(() -> new BatchBuffer(new BatchPolicy(BatchPolicy.SINK_DEFAULT_RECORDS, 1, Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resolve the sink's default batch size first");
    }

    @Test
    void aPluginWhoseDefaultIsNotPositiveIsNamedWithTheFix() {
        BatchPolicy policy = new BatchPolicy(BatchPolicy.SINK_DEFAULT_RECORDS, 1, Duration.ZERO);

        for (int bad : new int[] {0, -3}) {
            assertThatThrownBy(() -> policy.resolve(TestingFactories.withDefaultBatch("t", bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the t plugin's defaultBatchRecords() returned " + bad
                            + ": set batch.max-records for its sinks");
        }
    }

    @Test
    void negativeRecordsAreRefused() {
        assertThatThrownBy(() -> new BatchPolicy(-1, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecords must be at least 1, was -1");
    }
}
