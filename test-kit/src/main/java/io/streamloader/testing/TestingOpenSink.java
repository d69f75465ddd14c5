package io.streamloader.testing;

import io.streamloader.spi.Event;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.WriteResult;
import java.util.List;
import java.util.Objects;

/**
 * A sink opened as a runner opens it ({@link SinkFactory#parse}, then {@link SinkFactory#open}) with one writer, for
 * tests that drive a sink without a pipeline. Closing closes the writer, then the sink.
 *
 * @param sink the runner-scoped sink
 * @param writer one worker's writer
 */
public record TestingOpenSink(Sink sink, SinkWriter writer) implements AutoCloseable {

    /** Parses {@code context}, opens the sink and makes one writer. */
    public static TestingOpenSink open(SinkFactory<?> factory, SinkContext context) {
        Sink sink = Objects.requireNonNull(parseAndOpen(factory, context), () -> factory + " opened no sink");
        try {
            return new TestingOpenSink(sink, sink.newWriter());
        } catch (RuntimeException e) {
            sink.close();
            throw e;
        }
    }

    private static <C> Sink parseAndOpen(SinkFactory<C> factory, SinkContext context) {
        return factory.open(context, factory.parse(context));
    }

    public WriteResult write(List<Event> batch) {
        return writer.write(batch);
    }

    public void checkHealth() throws Exception {
        sink.checkHealth();
    }

    @Override
    public void close() {
        try {
            writer.close();
        } finally {
            sink.close();
        }
    }
}
