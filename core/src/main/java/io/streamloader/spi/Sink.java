package io.streamloader.spi;

import java.util.List;

/**
 * Writes batches of events to a store.
 *
 * <p>Lifecycle: created started by {@link SinkFactory#create}; {@link #write} is called repeatedly; {@link #close()}
 * once. Threading: each instance is created, written and closed on one thread, its worker's sink thread, so it needs
 * no locking; a runner with N workers creates N instances. While a write runs, the worker's consumer thread fetches
 * the next batch.
 *
 * <p>Failure contract:
 *
 * <ol>
 *   <li>Return normally with {@link WriteResult#success()} when every event is durably stored. The host then commits
 *       the batch's offsets, so "stored" must mean what the store calls acknowledged.
 *   <li>Return {@link WriteResult#failed(List)} for events that failed individually. {@link FailureKind#RETRYABLE}
 *       ones are passed to {@code write} again, alone, after a backoff; {@link FailureKind#PERMANENT} ones go to the
 *       dead-letter topic with the reason. Events not listed are taken as stored.
 *   <li>Throw {@link RetriableSinkException} when the whole batch failed transiently (store unreachable, timeout);
 *       the whole batch is retried after a backoff and the runner reports unhealthy meanwhile.
 *   <li>Any other exception is fatal for the runner: it stops, reports unhealthy and commits nothing more.
 * </ol>
 *
 * <p>Writes must be idempotent by {@link Event#id()}: after a crash the host redelivers events that may already be
 * stored.
 */
public interface Sink extends AutoCloseable {

    /**
     * Stores a batch. Never called with an empty list.
     *
     * @param batch events in offset order per partition
     * @return which events failed, if any
     * @throws RetriableSinkException when the whole batch should be retried
     */
    WriteResult write(List<Event> batch);

    /**
     * Checks that the store is reachable, for the runner's readiness. Called from a health thread, not the worker
     * thread, so it must be safe to call concurrently with {@link #write}. The default reports healthy.
     *
     * @throws Exception describing why the store is unreachable
     */
    default void checkHealth() throws Exception {}

    /** Releases connections. Called once; must not throw for a sink that is already closed. */
    @Override
    void close();
}
