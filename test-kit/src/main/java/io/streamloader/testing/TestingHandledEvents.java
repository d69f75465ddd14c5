package io.streamloader.testing;

import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FailureKind;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.SourcePartition;
import io.streamloader.spi.WriteResult;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Wraps a real sink's factory and remembers the ids of events whose fate is settled (stored, or failed permanently and
 * so dead-lettered), so a test knows when a runner has done its work without relying on when an asynchronous offset
 * commit happens to land. Offsets are then asserted after the runner closed, which commits synchronously. Everything
 * else (health, partition hooks, closes) goes to the wrapped sink unchanged.
 *
 * @param <C> the wrapped factory's parsed config
 */
public final class TestingHandledEvents<C> implements SinkFactory<C> {
    private final SinkFactory<C> delegate;
    private final Set<String> handled = ConcurrentHashMap.newKeySet();

    public TestingHandledEvents(SinkFactory<C> delegate) {
        this.delegate = delegate;
    }

    /** How many distinct event ids were settled so far. */
    public int count() {
        return handled.size();
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public C parse(SinkContext context) {
        return delegate.parse(context);
    }

    @Override
    public int defaultBatchRecords() {
        return delegate.defaultBatchRecords();
    }

    @Override
    public Set<String> secretKeys() {
        return delegate.secretKeys();
    }

    @Override
    public String version() {
        return delegate.version();
    }

    @Override
    public Sink open(SinkContext context, C config) {
        Sink sink = delegate.open(context, config);
        return new Sink() {
            @Override
            public SinkWriter newWriter() {
                return new Counting(sink.newWriter());
            }

            @Override
            public void checkHealth() throws Exception {
                sink.checkHealth();
            }

            @Override
            public void close() {
                sink.close();
            }
        };
    }

    private final class Counting implements SinkWriter {
        private final SinkWriter writer;

        Counting(SinkWriter writer) {
            this.writer = writer;
        }

        @Override
        public WriteResult write(List<Event> batch) {
            WriteResult result = writer.write(batch);
            Set<String> retry = result.failures().stream()
                    .filter(f -> f.kind() == FailureKind.RETRIABLE)
                    .map(EventFailure::event)
                    .map(Event::id)
                    .collect(Collectors.toSet());
            batch.stream().map(Event::id).filter(id -> !retry.contains(id)).forEach(handled::add);
            return result;
        }

        @Override
        public void partitionsAssigned(Collection<SourcePartition> partitions) {
            writer.partitionsAssigned(partitions);
        }

        @Override
        public void partitionsRevoked(Collection<SourcePartition> partitions) throws Exception {
            writer.partitionsRevoked(partitions);
        }

        @Override
        public void close() {
            writer.close();
        }
    }
}
