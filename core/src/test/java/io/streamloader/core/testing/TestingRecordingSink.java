package io.streamloader.core.testing;

import io.streamloader.spi.Event;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.WriteResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A store in memory, keyed by event id like every real sink, with a hook deciding what each write does. Counts how
 * often each id was written so tests can tell "stored once" from "overwritten".
 */
public final class TestingRecordingSink implements SinkFactory {

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
            stored.put(event.id(), event.value());
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

    /** Calls to {@link Sink#write} so far, across all instances. */
    public int calls() {
        return calls.get();
    }

    @Override
    public String type() {
        return "recording";
    }

    @Override
    public void validate(SinkContext context) {}

    @Override
    public Sink create(SinkContext context) {
        return new Sink() {
            @Override
            public WriteResult write(List<Event> batch) {
                calls.incrementAndGet();
                return behaviour.apply(TestingRecordingSink.this, batch);
            }

            @Override
            public void checkHealth() {
                String problem = unreachable;
                if (problem != null) {
                    throw new IllegalStateException(problem);
                }
            }

            @Override
            public void close() {}
        };
    }
}
