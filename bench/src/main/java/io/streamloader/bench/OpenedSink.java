package io.streamloader.bench;

import io.streamloader.spi.Event;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.WriteResult;
import java.util.List;

/**
 * A sink opened as a runner opens it ({@link SinkFactory#parse}, {@link SinkFactory#open}) with one writer, for probes
 * that call a sink directly, without a pipeline. Used from one thread. Closing closes the writer, then the sink.
 */
public final class OpenedSink implements AutoCloseable {
    private final Sink sink;
    private final io.streamloader.spi.SinkWriter writer;

    private OpenedSink(Sink sink) {
        this.sink = sink;
        this.writer = sink.newWriter();
    }

    public static <C> OpenedSink open(SinkFactory<C> factory, SinkContext context) {
        return new OpenedSink(factory.open(context, factory.parse(context)));
    }

    public WriteResult write(List<Event> batch) {
        return writer.write(batch);
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
