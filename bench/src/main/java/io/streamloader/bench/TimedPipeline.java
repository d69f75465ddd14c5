package io.streamloader.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.core.pipeline.RetryPolicy;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.spi.Event;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.WriteResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline side of a probe: a {@link SinkRunner} reads {@code topic} from the earliest offset into {@code factory}'s
 * sink until {@code count} events are stored, timed from the start of the first write to the end of the one that
 * stored the last event (group join and JVM start are not throughput). A write with failures stops the run: a
 * benchmark whose writes fail measures nothing.
 */
public final class TimedPipeline {
    private TimedPipeline() {}

    /**
     * @param bytes value bytes stored
     * @param firstNanos {@link System#nanoTime()} at the start of the first write
     * @param lastNanos {@link System#nanoTime()} at the end of the write that stored the last event
     */
    public record Result(long bytes, long firstNanos, long lastNanos) {}

    public static Result run(
            SinkFactory factory,
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
        SinkFactory timed = new SinkFactory() {
            @Override
            public String type() {
                return factory.type();
            }

            @Override
            public void validate(SinkContext context) {
                factory.validate(context);
            }

            @Override
            public Sink create(SinkContext context) {
                Sink sink = factory.create(context);
                return new Sink() {
                    @Override
                    public WriteResult write(List<Event> events) {
                        first.compareAndSet(0, System.nanoTime());
                        WriteResult result = sink.write(events);
                        if (!result.isSuccess()) {
                            throw new IllegalStateException("benchmark writes failed: " + result.failures());
                        }
                        long b = 0;
                        for (Event event : events) {
                            b += event.valueSize();
                        }
                        bytes.addAndGet(b);
                        if (stored.addAndGet(events.size()) >= count) {
                            last.compareAndSet(0, System.nanoTime());
                        }
                        return result;
                    }

                    @Override
                    public void close() {
                        sink.close();
                    }
                };
            }
        };
        RunnerSettings settings = new RunnerSettings(
                "bench",
                factory.type(),
                List.of(topic),
                "bench-" + factory.type() + "-" + System.nanoTime(),
                workers,
                batch,
                RetryPolicy.DEFAULT,
                RunnerSettings.DEFAULT_DEAD_LETTER_TOPIC,
                sinkConfig);
        try (SinkRunner runner =
                new SinkRunner(settings, timed, Map.of("bootstrap.servers", bootstrap), new SimpleMeterRegistry())) {
            runner.start();
            while (stored.get() < count) {
                if (runner.health().state() == RunnerHealth.State.FAILED) {
                    throw new IllegalStateException(
                            "pipeline failed: " + runner.health().detail());
                }
                Thread.sleep(5); // polling a counter in a benchmark driver, not test synchronisation
            }
        }
        return new Result(bytes.get(), first.get(), last.get());
    }
}
