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
 *   <li>Return {@link WriteResult#failed(List)} for events that failed individually, each given as the {@link Event}
 *       it was passed (the host matches failures by topic, partition and offset, never by id: two events of a batch
 *       may share an id). {@link FailureKind#PERMANENT} ones go to the dead-letter topic with the reason.
 *       {@link FailureKind#RETRYABLE} ones are passed to {@code write} again, without their stored neighbours, after
 *       a backoff; one that keeps failing while its neighbours succeed or {@link #checkHealth()} passes is
 *       dead-lettered with its last reason after the runner's {@code retry.event-give-up-after}. Events not listed
 *       are taken as stored.
 *   <li>Throw {@link RetriableSinkException} when the whole store failed transiently (unreachable, timeout,
 *       overloaded); the batch is retried after a backoff for as long as it takes, and the runner reports
 *       {@code RETRYING} with the reason meanwhile. Never dead-lettered for it, unless {@code retry.give-up-after} is
 *       set.
 *   <li>Throw {@link FatalSinkException} when the store or the configuration is broken for every event
 *       (authentication refused, schema migration failed, bucket missing and not creatable): the runner stops
 *       ({@code FAILED} with the exception's message, nothing more committed) and is restarted by its supervisor.
 *   <li>Any other exception, or an {@link Error} other than a JVM failure ({@link VirtualMachineError} except
 *       {@link StackOverflowError}), is taken to be about the events: the host writes halves of the batch until each
 *       throwing event stands alone, dead-letters those with the exception's class ({@code sl.error.class}) and
 *       message ({@code sl.error.reason}), and stores the rest. Before dead-lettering, and whenever both halves of a
 *       split throw, it calls {@link #checkHealth()}: if that fails, the failure is treated as in 3 instead. So a
 *       write may be called again with a subset of a batch it threw for, and a bug that throws for one event costs
 *       that event, not the runner. Preferably, report such events as {@code PERMANENT} failures yourself: that
 *       costs one call instead of about {@code 2 log2(n)}.
 *   <li>A JVM failure ({@link OutOfMemoryError} and the other {@link VirtualMachineError}s but
 *       {@link StackOverflowError}) stops the runner as in 4.
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
     * @throws RetriableSinkException when the whole store failed transiently and the batch should be retried
     * @throws FatalSinkException when the store or the configuration is broken for every event
     */
    WriteResult write(List<Event> batch);

    /**
     * Checks that the store is reachable, for the runner's readiness and to tell an outage from events that fail on
     * their own (see the failure contract). Called from a health thread, not the worker thread, so it must be safe to
     * call concurrently with {@link #write}; it should answer within seconds (after 10 s the host takes the store as
     * unhealthy). The default reports healthy.
     *
     * @throws Exception describing why the store is unreachable
     */
    default void checkHealth() throws Exception {}

    /** Releases connections. Called once; must not throw for a sink that is already closed. */
    @Override
    void close();
}
