package io.streamloader.sink.mongo;

import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FailureKind;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.WriteResult;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Wraps the mongo factory and remembers the ids of events whose fate is settled (stored, or failed permanently and
 * so dead-lettered), so a test knows when a runner has done its work without relying on when an asynchronous offset
 * commit happens to land. Offsets are then asserted after the runner closed, which commits synchronously.
 */
final class TestingHandledEvents implements SinkFactory<MongoSinkConfig> {
    private final MongoSinkFactory delegate = new MongoSinkFactory();
    private final Set<String> handled = ConcurrentHashMap.newKeySet();

    int count() {
        return handled.size();
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public MongoSinkConfig parse(SinkContext context) {
        return delegate.parse(context);
    }

    @Override
    public Sink open(SinkContext context, MongoSinkConfig config) {
        Sink sink = delegate.open(context, config);
        return new Sink() {
            @Override
            public SinkWriter newWriter() {
                SinkWriter writer = sink.newWriter();
                return batch -> handle(writer, batch);
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

    private WriteResult handle(SinkWriter writer, List<Event> batch) {
        WriteResult result = writer.write(batch);
        Set<String> retry = result.failures().stream()
                .filter(f -> f.kind() == FailureKind.RETRIABLE)
                .map(EventFailure::event)
                .map(Event::id)
                .collect(Collectors.toSet());
        batch.stream().map(Event::id).filter(id -> !retry.contains(id)).forEach(handled::add);
        return result;
    }
}
