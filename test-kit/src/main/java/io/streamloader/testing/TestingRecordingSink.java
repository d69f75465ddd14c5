package io.streamloader.testing;

import io.streamloader.spi.Event;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.SourcePartition;
import io.streamloader.spi.WriteResult;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A store in memory, keyed by event id like every real sink, with a hook deciding what each write does. Counts how
 * often each id was written so tests can tell "stored once" from "overwritten", and logs every lifecycle call (open,
 * newWriter, partition hooks, closes) with the thread it ran on.
 */
public final class TestingRecordingSink implements SinkFactory<String> {

    /** One lifecycle call: {@code what} is open, newWriter, assigned, revoked, writer-close or close. */
    public record Call(String what, Collection<SourcePartition> partitions, String thread) {}

    /** Decides a write's outcome; may store some events through {@link #store} and then throw to simulate a crash. */
    @FunctionalInterface
    public interface Behaviour extends BiFunction<TestingRecordingSink, List<Event>, WriteResult> {}

    public static final Behaviour STORE_ALL = (sink, batch) -> {
        sink.store(batch);
        return WriteResult.success();
    };

    private final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<Call> lifecycle = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour;
    private volatile String unreachable;

    public TestingRecordingSink(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    public void behave(Behaviour next) {
        this.behaviour = next;
    }

    /** Makes {@link Sink#checkHealth()} fail with {@code problem}, or pass again with {@code null}. */
    public void unreachable(String problem) {
        this.unreachable = problem;
    }

    /** Stores the events under their ids (overwriting), as an idempotent store would. */
    public void store(List<Event> events) {
        for (Event event : events) {
            stored.put(event.id(), event.valueBytes());
            writes.computeIfAbsent(event.id(), id -> new AtomicInteger()).incrementAndGet();
        }
    }

    public Map<String, byte[]> stored() {
        return stored;
    }

    public int writesOf(String id) {
        AtomicInteger n = writes.get(id);
        return n == null ? 0 : n.get();
    }

    /** Calls to {@link SinkWriter#write} so far, across all writers. */
    public int calls() {
        return calls.get();
    }

    @Override
    public String type() {
        return "recording";
    }

    /** Every lifecycle call so far, in order. */
    public List<Call> lifecycle() {
        return List.copyOf(lifecycle);
    }

    /** How many lifecycle calls named {@code what} there were. */
    public long count(String what) {
        return lifecycle.stream().filter(c -> c.what().equals(what)).count();
    }

    private void log(String what, Collection<SourcePartition> partitions) {
        lifecycle.add(
                new Call(what, List.copyOf(partitions), Thread.currentThread().getName()));
    }

    @Override
    public String parse(SinkContext context) {
        return context.name();
    }

    @Override
    public Sink open(SinkContext context, String config) {
        log("open", List.of());
        return new Sink() {
            @Override
            public SinkWriter newWriter() {
                log("newWriter", List.of());
                return new SinkWriter() {
                    @Override
                    public WriteResult write(List<Event> batch) {
                        calls.incrementAndGet();
                        return behaviour.apply(TestingRecordingSink.this, batch);
                    }

                    @Override
                    public void partitionsAssigned(Collection<SourcePartition> partitions) {
                        log("assigned", partitions);
                    }

                    @Override
                    public void partitionsRevoked(Collection<SourcePartition> partitions) {
                        log("revoked", partitions);
                    }

                    @Override
                    public void close() {
                        log("writer-close", List.of());
                    }
                };
            }

            @Override
            public void checkHealth() {
                String problem = unreachable;
                if (problem != null) {
                    throw new IllegalStateException(problem);
                }
            }

            @Override
            public void close() {
                log("close", List.of());
            }
        };
    }
}
