package io.streamloader.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.spi.Event;
import io.streamloader.spi.SinkFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/**
 * The pipeline side of a probe: a {@link SinkRunner} reads {@code topic} from the earliest offset into {@code factory}'s
 * sink until {@code count} events are stored, timed from the start of the first write to the end of the one that
 * stored the last event (group join and JVM start are not throughput). With several workers, the window starts instead
 * when the consumer group is stable with every worker assigned (the devstack broker has no initial rebalance delay, so
 * workers join one by one and the first seconds are rebalances, not throughput); the events stored before that are
 * left out of the rate. A write with failures stops the run: a benchmark whose writes fail measures nothing.
 */
public final class TimedPipeline {
    private TimedPipeline() {}

    /**
     * @param bytes value bytes stored in the window
     * @param firstNanos {@link System#nanoTime()} at the start of the first write, or when the group became stable
     * @param events events stored in the window
     * @param lastNanos {@link System#nanoTime()} at the end of the write that stored the last event
     */
    public record Result(long bytes, long firstNanos, long lastNanos, long events) {
        public double perSecond() {
            return events / ((lastNanos - firstNanos) / 1e9);
        }
    }

    /** Whether the group has {@code workers} members, each assigned at least one partition, and is not rebalancing. */
    private static boolean stable(Admin admin, String groupId, int workers) throws InterruptedException {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId))
                    .describedGroups()
                    .get(groupId)
                    .get();
            return group.groupState() == GroupState.STABLE
                    && group.members().size() == workers
                    && group.members().stream()
                            .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
        } catch (ExecutionException e) {
            return false; // not known to the coordinator yet
        }
    }

    public static Result run(
            SinkFactory<?> factory,
            Map<String, String> sinkConfig,
            String bootstrap,
            String topic,
            int workers,
            BatchPolicy batch,
            long count)
            throws InterruptedException {
        AtomicLong stored = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        SinkFactory<?> timed = timed(factory, stored, bytes, first, last, count);
        RunnerSettings settings = RunnerSettings.builder("bench")
                .type(factory.type())
                .topics(List.of(topic))
                .groupId("bench-" + factory.type() + "-" + System.nanoTime())
                .workers(workers)
                .batch(batch)
                .sinkConfig(sinkConfig)
                .build();
        try (SinkRunner runner =
                new SinkRunner(settings, timed, Map.of("bootstrap.servers", bootstrap), new SimpleMeterRegistry())) {
            runner.start();
            long stableNanos = 0;
            long storedBeforeStable = 0;
            long bytesBeforeStable = 0;
            try (Admin admin = workers > 1 ? Admin.create(Map.of("bootstrap.servers", bootstrap)) : null) {
                while (stored.get() < count) {
                    if (runner.health().state() == RunnerHealth.State.FAILED) {
                        throw new IllegalStateException(
                                "pipeline failed: " + runner.health().detail());
                    }
                    if (admin != null && stableNanos == 0 && stable(admin, settings.groupId(), workers)) {
                        stableNanos = System.nanoTime();
                        storedBeforeStable = stored.get();
                        bytesBeforeStable = bytes.get();
                    }
                    Thread.sleep(5); // polling a counter in a benchmark driver, not test synchronisation
                }
            }
            if (stableNanos != 0 && storedBeforeStable > 0 && storedBeforeStable < count / 2) {
                return new Result(
                        bytes.get() - bytesBeforeStable, stableNanos, last.get(), stored.get() - storedBeforeStable);
            }
            // stable before the first write (all workers joined at once), or only late: the whole run from the first
            // write
        }
        return new Result(bytes.get(), first.get(), last.get(), stored.get());
    }

    /** {@code factory}, its writers counting what they store and when; a write with failures throws. */
    private static <C> SinkFactory<C> timed(
            SinkFactory<C> factory,
            AtomicLong stored,
            AtomicLong bytes,
            AtomicLong first,
            AtomicLong last,
            long count) {
        return ObservedWrites.wrap(factory, "bench", () -> first.compareAndSet(0, System.nanoTime()), events -> {
            long b = 0;
            for (Event event : events) {
                b += event.valueSize();
            }
            bytes.addAndGet(b);
            if (stored.addAndGet(events.size()) >= count) {
                last.compareAndSet(0, System.nanoTime());
            }
        });
    }
}
