package io.streamloader.spi;

import java.util.Collection;
import java.util.List;

/**
 * One worker's writer: writes that worker's batches to the store through the clients its {@link Sink} opened.
 *
 * <p>Lifecycle and threading: made by {@link Sink#newWriter()} once per worker of the runner; {@link #write}, the
 * partition hooks and {@link #close()} are then all called on that worker's sink thread, one call at a time, so a
 * writer needs no locking for its own state. While a write runs, the worker's consumer thread fetches the next batch.
 * A sink whose {@link Sink} is thread-safe can return a lambda: {@code return batch -> write(batch);}.
 *
 * <p>Failure contract of {@link #write}:
 *
 * <ol>
 *   <li>Return normally with {@link WriteResult#success()} when every event is durably stored. The host then commits
 *       the batch's offsets, so "stored" must mean what the store calls acknowledged.
 *   <li>Return {@link WriteResult#failed(List)} for events that failed individually, each given as the {@link Event}
 *       it was passed (the host matches failures by topic, partition and offset, never by id: two events of a batch
 *       may share an id). {@link FailureKind#PERMANENT} ones go to the dead-letter topic with the reason.
 *       {@link FailureKind#RETRIABLE} ones are passed to {@code write} again, without their stored neighbours, after
 *       a backoff; one that keeps failing while its neighbours succeed or {@link Sink#checkHealth()} passes is
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
 *       split throw, it calls {@link Sink#checkHealth()}: if that fails, the failure is treated as in 3 instead. So a
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
@FunctionalInterface
public interface SinkWriter extends AutoCloseable {

    /**
     * Stores a batch. Never called with an empty list.
     *
     * @param batch events in offset order per partition, all of partitions currently assigned to this writer
     * @return which events failed, if any
     * @throws RetriableSinkException when the whole store failed transiently and the batch should be retried
     * @throws FatalSinkException when the store or the configuration is broken for every event
     */
    WriteResult write(List<Event> batch);

    /**
     * This worker's consumer was given these partitions (Kafka's rebalance); called before any batch holding their
     * events. The default does nothing. An exception stops the runner as a {@link FatalSinkException} would.
     *
     * @param partitions the newly assigned partitions, never empty
     */
    default void partitionsAssigned(Collection<SourcePartition> partitions) {}

    /**
     * These partitions were taken from this worker (revoked or lost in a rebalance, or the worker is stopping): no
     * further batch holds their events, and the batches written before were committed as far as they succeeded. Close
     * what belongs to them here, such as a file per partition. Called after the write in flight, if any, is done;
     * the rebalance waits for it up to 10 s. Every partition assigned is revoked before {@link #close()}. The default
     * does nothing.
     *
     * @param partitions the partitions given up, never empty
     * @throws Exception logged by the host and otherwise ignored: the partitions are gone either way
     */
    default void partitionsRevoked(Collection<SourcePartition> partitions) throws Exception {}

    /**
     * Releases what this writer holds (not the sink's shared clients: {@link Sink#close()} does that). Called once,
     * after every assigned partition was revoked; an exception is logged. The default does nothing.
     */
    @Override
    default void close() {}
}
