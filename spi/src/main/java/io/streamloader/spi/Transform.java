package io.streamloader.spi;

/**
 * One step of a sink's transform chain ({@code sinks.<name>.transforms[i]}), in the spirit of Kafka Connect's single
 * message transforms: it changes an event, keeps it as it is, or drops it.
 *
 * <ol>
 *   <li>Lifecycle: created once per runner by {@link TransformFactory#create}, used until the runner stops.
 *   <li>Threading: called concurrently by the runner's workers; implementations are immutable or thread-safe.
 *   <li>Cost: returning the very instance it was given means "unchanged" and must not copy the value; the host relies
 *       on it to keep a chain that does nothing free.
 *   <li>Failure: any exception is about this event: the host dead-letters the original record with the exception's
 *       class and message as the reason and goes on with the next event. Never a reason to stop the runner.
 * </ol>
 */
@FunctionalInterface
public interface Transform {

    /**
     * Header a transform sets to route an event to a sibling of the sink's target ({@value}): built-in sinks append
     * {@code "-" + value} to the index (Elasticsearch), collection (MongoDB) they resolved for the event. The value
     * matches {@code [a-z0-9_]{1,64}}; sinks refuse (dead-letter) any other value.
     */
    String ROUTE_HEADER = "sl-route";

    /**
     * @param event the event as the previous step left it
     * @return the event to hand on ({@code event} itself when unchanged), or {@code null} to drop it (committed, never
     *     written); a changed event is {@code event.toBuilder()...build()}, which shares the buffers it does not
     *     replace
     * @throws Exception when the event cannot be transformed; it is dead-lettered with the reason
     */
    Event apply(Event event) throws Exception;
}
