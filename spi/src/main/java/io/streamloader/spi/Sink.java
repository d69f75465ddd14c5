package io.streamloader.spi;

/**
 * A sink opened for one runner: the store's clients, connection pools and whatever was installed at start
 * (templates, indexes, migrations), shared by the runner's workers, each of which writes through a {@link SinkWriter}
 * of its own.
 *
 * <p>Lifecycle: opened by {@link SinkFactory#open} once per runner start (again after a supervised restart);
 * {@link #newWriter()} once per worker; {@link #close()} once, after every writer was closed.
 *
 * <p>Threading: thread-safe. {@link #newWriter()} is called on each worker's sink thread, {@link #checkHealth()} from
 * health and writer threads concurrently with writes.
 *
 * <p>A simple sink whose clients are thread-safe keeps its write logic here and returns a lambda writer, {@code
 * return this::write;}.
 */
public interface Sink extends AutoCloseable {

    /**
     * A writer for one worker; called on the thread that will use and close it. An exception stops the runner as a
     * {@link FatalSinkException} would.
     */
    SinkWriter newWriter();

    /**
     * Checks that the store is reachable, for the runner's readiness and to tell an outage from events that fail on
     * their own (see {@link SinkWriter}'s failure contract). Called from health and writer threads, concurrently with
     * writes; it should answer within seconds (after 10 s the host takes the store as unhealthy). The default reports
     * healthy.
     *
     * @throws Exception describing why the store is unreachable
     */
    default void checkHealth() throws Exception {}

    /**
     * Releases the shared clients. Called once per {@link SinkFactory#open}, after every writer was closed; an
     * exception is logged. The default does nothing, for a sink that holds nothing but its settings.
     */
    @Override
    default void close() {}
}
