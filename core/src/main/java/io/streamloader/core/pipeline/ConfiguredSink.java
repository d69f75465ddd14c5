package io.streamloader.core.pipeline;

import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import java.util.Objects;

/**
 * A sink's factory with its settings parsed, once: what {@code config check} validates and a {@link SinkRunner} opens,
 * so the settings are read a single time per process.
 *
 * @param factory the sink type's factory
 * @param context the sink's name and raw settings
 * @param config what {@link SinkFactory#parse} made of them
 * @param <C> the sink's parsed settings
 */
public record ConfiguredSink<C>(SinkFactory<C> factory, SinkContext context, C config) {

    public ConfiguredSink {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(context, "context");
    }

    /**
     * Parses {@code context} with {@code factory}; no I/O.
     *
     * @throws SinkConfigException listing every invalid key
     */
    public static <C> ConfiguredSink<C> parse(SinkFactory<C> factory, SinkContext context) {
        return new ConfiguredSink<>(factory, context, factory.parse(context));
    }

    /** Opens the sink for one runner start: {@link SinkFactory#open} with the parsed settings. */
    public Sink open() {
        return Objects.requireNonNull(factory.open(context, config), () -> factory + " opened no sink");
    }

    /** The sink's name in the config file. */
    public String name() {
        return context.name();
    }
}
