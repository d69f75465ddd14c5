package io.streamloader.core.plugin;

import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link SinkFactory} that runs every call of the plugin's factory with the plugin's classloader as thread context
 * classloader, and wraps the sinks it opens (and their writers) the same way. Thread-safe if the wrapped factory is.
 */
@SuppressWarnings("try") // the ThreadContextClassLoader resources are used for their side effect only
final class ClassLoaderSafeSinkFactory<C> implements SinkFactory<C> {

    private final SinkFactory<C> delegate;
    private final ClassLoader loader;

    ClassLoaderSafeSinkFactory(SinkFactory<C> delegate, ClassLoader loader) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    @Override
    public String type() {
        try (var ignored = new ThreadContextClassLoader(loader)) {
            return delegate.type();
        }
    }

    @Override
    public C parse(SinkContext context) {
        try (var ignored = new ThreadContextClassLoader(loader)) {
            return delegate.parse(context);
        }
    }

    @Override
    public Sink open(SinkContext context, C config) {
        try (var ignored = new ThreadContextClassLoader(loader)) {
            return new ClassLoaderSafeSink(delegate.open(context, config), loader);
        }
    }

    @Override
    public int defaultBatchRecords() {
        try (var ignored = new ThreadContextClassLoader(loader)) {
            return delegate.defaultBatchRecords();
        }
    }

    @Override
    public Set<String> secretKeys() {
        try (var ignored = new ThreadContextClassLoader(loader)) {
            return Set.copyOf(delegate.secretKeys());
        }
    }

    @Override
    public String version() {
        try (var ignored = new ThreadContextClassLoader(loader)) {
            return delegate.version();
        }
    }

    /** The plugin's own factory class, for messages. */
    Class<?> delegateClass() {
        return delegate.getClass();
    }

    @Override
    public String toString() {
        return delegate.getClass().getName();
    }
}
