package io.streamloader.core.plugin;

/**
 * Sets the current thread's context classloader until closed, for calls into plugin code: libraries inside a plugin
 * (JDBC drivers, JAXB, Jackson modules, ServiceLoader users) look their classes up through the context classloader,
 * and must find the plugin's, not the host's.
 *
 * <pre>{@code
 * try (var ignored = new ThreadContextClassLoader(plugin.classLoader())) {
 *     return factory.create(context);
 * }
 * }</pre>
 *
 * <p>Confined to the thread that created it; close it on that thread (try-with-resources does).
 */
public final class ThreadContextClassLoader implements AutoCloseable {

    private final Thread thread;
    private final ClassLoader previous;

    /** Makes {@code loader} the current thread's context classloader. */
    public ThreadContextClassLoader(ClassLoader loader) {
        this.thread = Thread.currentThread();
        this.previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
    }

    /** Restores the context classloader that was set before. */
    @Override
    public void close() {
        thread.setContextClassLoader(previous);
    }
}
