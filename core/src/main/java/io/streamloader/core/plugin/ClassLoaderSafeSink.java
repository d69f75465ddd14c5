package io.streamloader.core.plugin;

import io.streamloader.spi.Event;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.SourcePartition;
import io.streamloader.spi.WriteResult;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Sink} whose calls, and those of the writers it makes, run with the plugin's classloader as thread context
 * classloader.
 */
@SuppressWarnings("try") // the ThreadContextClassLoader resources are used for their side effect only
final class ClassLoaderSafeSink implements Sink {

    private final Sink delegate;
    private final ClassLoader loader;

    ClassLoaderSafeSink(Sink delegate, ClassLoader loader) {
        this.delegate = Objects.requireNonNull(delegate, "the factory opened no sink");
        this.loader = loader;
    }

    @Override
    public SinkWriter newWriter() {
        try (var ignored = new ThreadContextClassLoader(loader)) {
            return new Writer(Objects.requireNonNull(delegate.newWriter(), "the sink made no writer"), loader);
        }
    }

    @Override
    public void checkHealth() throws Exception {
        try (var ignored = new ThreadContextClassLoader(loader)) {
            delegate.checkHealth();
        }
    }

    @Override
    public void close() {
        try (var ignored = new ThreadContextClassLoader(loader)) {
            delegate.close();
        }
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    private record Writer(SinkWriter delegate, ClassLoader loader) implements SinkWriter {

        @Override
        public WriteResult write(List<Event> batch) {
            try (var ignored = new ThreadContextClassLoader(loader)) {
                return delegate.write(batch);
            }
        }

        @Override
        public void partitionsAssigned(Collection<SourcePartition> partitions) {
            try (var ignored = new ThreadContextClassLoader(loader)) {
                delegate.partitionsAssigned(partitions);
            }
        }

        @Override
        public void partitionsRevoked(Collection<SourcePartition> partitions) throws Exception {
            try (var ignored = new ThreadContextClassLoader(loader)) {
                delegate.partitionsRevoked(partitions);
            }
        }

        @Override
        public void close() {
            try (var ignored = new ThreadContextClassLoader(loader)) {
                delegate.close();
            }
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
