package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamloader.spi.Event;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.SourcePartition;
import io.streamloader.spi.WriteResult;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hand-off between a worker's consumer thread (the test thread here) and its sink thread. */
class SinkThreadTest {
    private static final String THREAD = "docs-0-sink";
    private static final SourcePartition P0 = new SourcePartition("orders", 0);
    private static final SourcePartition P1 = new SourcePartition("orders", 1);

    /** Every call the sink, its writer and the test's batches saw, with the thread it ran on. */
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private volatile RuntimeException assignedFails;
    private volatile RuntimeException revokedFails;
    private final HookedFactory factory = new HookedFactory();
    private final RunnerSink runnerSink =
            new RunnerSink(ConfiguredSink.parse(factory, new SinkContext("docs", Map.of())));
    private final SinkThread<String> sinkThread = new SinkThread<>(THREAD, "docs", runnerSink);
    private boolean closed;

    @AfterEach
    void close() {
        if (!closed) {
            sinkThread.close();
        }
    }

    @Test
    void opensTheSinkAndMakesTheWriterOnTheSinkThreadThenRunsOneBatchAtATimeThere() {
        Optional<Sink> sink = sinkThread.start(runnerSink::open);

        assertThat(sink).isPresent();
        assertThat(calls).containsExactly("open@" + THREAD, "newWriter@" + THREAD);
        assertThat(sinkThread.busy()).isFalse();
        assertThat(sinkThread.takeBatchIfDone()).isEmpty();

        CountDownLatch mayFinish = new CountDownLatch(1);
        sinkThread.submit(() -> {
            awaitLatch(mayFinish);
            return "written@" + Thread.currentThread().getName();
        });
        assertThat(sinkThread.busy()).isTrue();
        assertThatThrownBy(() -> sinkThread.submit(() -> "second"))
                .as("one batch in flight at a time")
                .isInstanceOf(IllegalStateException.class);
        sinkThread.awaitBatch(20);
        assertThat(sinkThread.takeBatchIfDone()).as("still writing").isEmpty();

        mayFinish.countDown();
        sinkThread.awaitBatch(Long.MAX_VALUE);
        assertThat(sinkThread.takeBatchIfDone()).contains("written@" + THREAD);
        assertThat(sinkThread.busy()).isFalse();
    }

    @Test
    void whatABatchThrowsIsRethrownOnTheConsumerThreadAndTheBatchIsNoLongerInFlight() {
        sinkThread.start(runnerSink::open);
        sinkThread.submit(() -> {
            throw new IllegalStateException("store exploded");
        });
        sinkThread.awaitBatch(Long.MAX_VALUE);

        assertThatThrownBy(sinkThread::takeBatchIfDone).hasMessage("store exploded");
        assertThat(sinkThread.busy()).isFalse();
        assertThat(sinkThread.takeBatchIfDone()).isEmpty();
    }

    @Test
    void hooksAndBatchesRunOnTheSinkThreadInTheOrderTheyWereHandedOver() {
        sinkThread.start(runnerSink::open);
        calls.clear();

        sinkThread.partitionsAssigned(List.of(P0, P1));
        sinkThread.submit(() -> {
            calls.add("batch@" + Thread.currentThread().getName());
            return "done";
        });
        sinkThread.partitionsRevoked(List.of(P0), 5_000); // waits for the batch, then for the hook
        sinkThread.partitionsAssigned(List.of()); // nothing to tell
        sinkThread.partitionsRevoked(List.of(), 5_000);

        assertThat(calls)
                .containsExactly(
                        "assigned[orders-0, orders-1]@" + THREAD, "batch@" + THREAD, "revoked[orders-0]@" + THREAD);
        sinkThread.checkAssignedHook();
        assertThat(sinkThread.takeBatchIfDone()).contains("done");
    }

    @Test
    void aFailedAssignedHookIsRethrownOnTheConsumerThreadOnce() {
        sinkThread.start(runnerSink::open);
        assignedFails = new IllegalStateException("cannot open a file for the partition");

        sinkThread.partitionsAssigned(List.of(P0));

        await().pollInSameThread()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThatThrownBy(sinkThread::checkAssignedHook)
                        .hasMessage("cannot open a file for the partition"));
        sinkThread.checkAssignedHook(); // reported once
    }

    @Test
    void aFailedRevokedHookIsLoggedNotThrownAndThePartitionCountsAsRevoked() {
        sinkThread.start(runnerSink::open);
        sinkThread.partitionsAssigned(List.of(P0, P1));
        revokedFails = new IllegalStateException("flush failed");

        sinkThread.partitionsRevoked(List.of(P0), 5_000);
        revokedFails = null;
        runnerSink.closeWhenUnused();
        closeNow();

        assertThat(calls)
                .as("closing revokes only what is still held")
                .containsSubsequence(
                        "revoked[orders-0]@" + THREAD,
                        "revoked[orders-1]@" + THREAD,
                        "writer-close@" + THREAD,
                        "close@" + THREAD);
        assertThat(calls.stream().filter(c -> c.startsWith("revoked"))).hasSize(2);
    }

    @Test
    void closeWaitsForTheBatchInFlightThenRevokesClosesTheWriterAndReleasesTheSink() {
        sinkThread.start(runnerSink::open);
        sinkThread.partitionsAssigned(List.of(P0));
        CountDownLatch mayFinish = new CountDownLatch(1);
        sinkThread.submit(() -> {
            calls.add("batch-started");
            awaitLatch(mayFinish);
            calls.add("batch-done");
            return "done";
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("batch-started"));
        runnerSink.closeWhenUnused(); // the generation stops: the last writer to close closes the sink
        Thread releaser = new Thread(() -> {
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("batch-started"));
            mayFinish.countDown();
        });
        releaser.start();

        closeNow();

        assertThat(calls.subList(calls.indexOf("batch-done"), calls.size()))
                .containsExactly(
                        "batch-done", "revoked[orders-0]@" + THREAD, "writer-close@" + THREAD, "close@" + THREAD);
        assertThat(sinkThread.takeBatchIfDone()).contains("done");
        assertThatThrownBy(() -> sinkThread.submit(() -> "late"))
                .as("the thread ended")
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aRunnerStoppedBeforeTheSinkOpenedGivesNoWriterAndReleasesNothing() {
        Optional<Sink> sink = sinkThread.start(() -> null); // the opener gave up: the runner is stopping

        assertThat(sink).isEmpty();
        assertThatThrownBy(sinkThread::writer).hasMessage("not started");
        sinkThread.partitionsAssigned(List.of(P0)); // no writer to tell
        sinkThread.partitionsRevoked(List.of(P0), 5_000);
        closeNow();

        assertThat(calls).isEmpty();
    }

    @Test
    void aWriterThatIsNullFailsTheStartNamingTheSink() {
        factory.noWriter = true;

        assertThatThrownBy(() -> sinkThread.start(runnerSink::open)).hasMessage("sink docs made no writer");

        runnerSink.closeWhenUnused();
        closeNow();
        assertThat(calls).as("the sink acquired is released, and closed").endsWith("close@" + THREAD);
    }

    private void closeNow() {
        closed = true;
        sinkThread.close();
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the batch");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String here(String what) {
        return what + "@" + Thread.currentThread().getName();
    }

    /** A sink whose writer records its hooks and can be made to fail them. */
    private final class HookedFactory implements SinkFactory<String> {
        private volatile boolean noWriter;

        @Override
        public String type() {
            return "hooked";
        }

        @Override
        public String parse(SinkContext context) {
            return context.name();
        }

        @Override
        public Sink open(SinkContext context, String config) {
            calls.add(here("open"));
            return new Sink() {
                @Override
                public SinkWriter newWriter() {
                    calls.add(here("newWriter"));
                    return noWriter ? null : new HookedWriter();
                }

                @Override
                public void close() {
                    calls.add(here("close"));
                }
            };
        }
    }

    private final class HookedWriter implements SinkWriter {
        @Override
        public WriteResult write(List<Event> batch) {
            return WriteResult.success();
        }

        @Override
        public void partitionsAssigned(Collection<SourcePartition> partitions) {
            calls.add(here("assigned" + partitions));
            if (assignedFails != null) {
                throw assignedFails;
            }
        }

        @Override
        public void partitionsRevoked(Collection<SourcePartition> partitions) {
            calls.add(here("revoked" + partitions));
            if (revokedFails != null) {
                throw revokedFails;
            }
        }

        @Override
        public void close() {
            calls.add(here("writer-close"));
        }
    }
}
