package io.streamloader.connect;

import io.streamloader.core.plugin.PluginRegistry;
import io.streamloader.spi.SinkFactory;

/**
 * The sink factory a connector or task runs, with the registry that loaded it: from {@link
 * ConnectorSettings#pluginsDir()} through streamloader's own plugin loader (a classloader per plugin directory that
 * shares only {@code io.streamloader.spi} and {@code org.slf4j} with this adapter), or else from this connector's own
 * classloader. {@link #close()} releases the plugin classloaders.
 */
final class SinkPlugins implements AutoCloseable {

    private final PluginRegistry registry;
    private final SinkFactory<?> factory;

    private SinkPlugins(PluginRegistry registry, SinkFactory<?> factory) {
        this.registry = registry;
        this.factory = factory;
    }

    /**
     * @throws io.streamloader.core.plugin.PluginException when no plugin provides the type, naming the types found and
     *     the plugins that failed to load
     */
    static SinkPlugins load(ConnectorSettings settings) {
        PluginRegistry.Builder builder = PluginRegistry.builder();
        settings.pluginsDir()
                .ifPresentOrElse(
                        builder::addDirectory, () -> builder.addClassLoader(SinkPlugins.class.getClassLoader()));
        PluginRegistry registry = builder.build();
        try {
            return new SinkPlugins(registry, registry.factory(settings.sinkType()));
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    /** The factory, wrapped so that it and its sinks run with the plugin's context classloader. */
    SinkFactory<?> factory() {
        return factory;
    }

    @Override
    public void close() {
        registry.close();
    }
}
