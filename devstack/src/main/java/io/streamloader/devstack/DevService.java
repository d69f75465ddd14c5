package io.streamloader.devstack;

/**
 * A real local service (a broker, a database, a store) that tests and dev mode talk to over the network.
 *
 * <ol>
 *   <li>{@link #start()} binds 127.0.0.1 on the service's port and returns once the service answers requests. The
 *       first start picks a free port unless a fixed one was asked for; every later start reuses that port.
 *   <li>{@link #stop()} shuts the service down and keeps its data; a later {@link #start()} serves the same data on
 *       the same port (outage tests rely on this). Stopping a stopped service does nothing.
 *   <li>A failed start throws {@link DevStackException} naming the service and port (plus the tail of the
 *       service's log where there is one) and releases whatever it had started.
 * </ol>
 *
 * Implementations are thread-safe: start and stop are serialised per instance.
 */
public interface DevService extends AutoCloseable {

    /** Short human name used in logs and errors, e.g. {@code "Kafka"}. */
    String name();

    void start();

    void stop();

    boolean isRunning();

    /** Same as {@link #stop()}. */
    @Override
    default void close() {
        stop();
    }
}
