package io.streamloader.connect;

import io.streamloader.core.pipeline.Bisection;
import io.streamloader.core.pipeline.StoreHealthProbe;
import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.FailureKind;
import io.streamloader.spi.FatalSinkException;
import io.streamloader.spi.RetriableSinkException;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of a batch through a sink, classified by the pipeline's rules (core's {@code BatchWriter}):
 *
 * <ol>
 *   <li>per-event failures the sink reports: {@code PERMANENT} ones are to be dead-lettered, {@code RETRIABLE} ones
 *       written again;
 *   <li>{@link RetriableSinkException}: the store is down, the whole pass is retried;
 *   <li>{@link FatalSinkException} and JVM failures ({@link VirtualMachineError} but {@link StackOverflowError}):
 *       rethrown;
 *   <li>any other exception is about the events: the write is narrowed down by halves until each throwing event
 *       stands alone; those are to be dead-lettered with the exception's class and message. Before that, and whenever
 *       both halves of a split throw, {@link Sink#checkHealth()} is asked: an unhealthy store makes it an outage.
 * </ol>
 *
 * <p>Not thread-safe: one per task, called from the task's thread.
 */
final class EventWriter {
    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
    private static final Duration HEALTH_TIMEOUT = StoreHealthProbe.DEFAULT_TIMEOUT;

    /** An event that was not stored, with why. */
    record Failure(Event event, String reason, String errorClass) {}

    /**
     * What a pass did; events in neither list were stored.
     *
     * @param storeDown why the whole store failed, when it did: then nothing is to be dead-lettered and the batch is
     *     to be written again
     */
    record Outcome(List<Failure> permanent, List<Failure> retriable, Optional<String> storeDown) {
        static Outcome down(String reason) {
            return new Outcome(List.of(), List.of(), Optional.of(reason));
        }

        boolean complete() {
            return retriable.isEmpty() && storeDown.isEmpty();
        }
    }

    private final String sinkName;
    private final Sink sink;
    private final SinkWriter writer;

    /** Writes through {@code writer}; asks {@code sink}, the writer's, whether the store is healthy. */
    EventWriter(String sinkName, Sink sink, SinkWriter writer) {
        this.sinkName = sinkName;
        this.sink = sink;
        this.writer = writer;
    }

    Outcome write(List<Event> events) {
        Round round = new Round();
        try {
            Throwable thrown = attempt(events, round);
            if (thrown != null) {
                isolate(events, thrown, round);
            }
            if (!round.suspects.isEmpty()) {
                Optional<String> problem = storeProblem(round);
                if (problem.isPresent()) {
                    return Outcome.down(problem.get());
                }
            }
        } catch (StoreDown down) {
            log.warn("sink {}: batch of {} failed transiently: {}", sinkName, events.size(), down.getMessage());
            return Outcome.down(down.getMessage());
        }
        round.permanent.addAll(round.suspects);
        return new Outcome(List.copyOf(round.permanent), List.copyOf(round.retriable), Optional.empty());
    }

    /** One sink call; returns what it threw when that is about the events, else null. */
    private Throwable attempt(List<Event> events, Round round) {
        List<EventFailure> failures;
        try {
            failures = writer.write(List.copyOf(events)).failures();
        } catch (RetriableSinkException e) {
            throw new StoreDown(message(e));
        } catch (FatalSinkException e) {
            throw e;
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
                throw (Error) t;
            }
            if (t instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                throw new StoreDown("interrupted while writing");
            }
            return t;
        }
        // matched by coordinates, never by id: two events of a batch may share an id
        Map<Coordinates, EventFailure> byCoordinates = new HashMap<>();
        failures.forEach(f -> byCoordinates.put(Coordinates.of(f.event()), f));
        for (Event event : events) {
            EventFailure f = byCoordinates.get(Coordinates.of(event));
            if (f != null) {
                Failure failure = new Failure(event, f.reason(), f.errorClass());
                (f.kind() == FailureKind.PERMANENT ? round.permanent : round.retriable).add(failure);
            }
        }
        return null;
    }

    /** Narrows a throwing write down to the events that throw alone (core's {@link Bisection}). */
    private void isolate(List<Event> events, Throwable thrown, Round round) {
        Bisection.isolate(events, thrown, new Bisection.Steps() {
            @Override
            public Throwable write(List<Event> slice) {
                return attempt(slice, round);
            }

            @Override
            public void isolated(Event event, Throwable cause) {
                round.suspects.add(
                        new Failure(event, message(cause), cause.getClass().getName()));
            }

            @Override
            public void bothHalvesThrew(Throwable cause) {
                Optional<String> problem = storeProblem(round);
                if (problem.isPresent()) {
                    throw new StoreDown(problem.get());
                }
            }
        });
    }

    private Optional<String> storeProblem(Round round) {
        if (round.storeProblem == null) {
            round.storeProblem = probe();
        }
        return round.storeProblem;
    }

    private Optional<String> probe() {
        return StoreHealthProbe.problem(sink, HEALTH_TIMEOUT);
    }

    static String message(Throwable t) {
        return StoreHealthProbe.message(t);
    }

    /** Where a record sits; identifies an event across the sink's copies of it. */
    record Coordinates(String topic, int partition, long offset) {
        static Coordinates of(Event e) {
            return new Coordinates(e.topic(), e.partition(), e.offset());
        }
    }

    private static final class Round {
        final List<Failure> permanent = new ArrayList<>();
        final List<Failure> retriable = new ArrayList<>();
        final List<Failure> suspects = new ArrayList<>();
        Optional<String> storeProblem;
    }

    private static final class StoreDown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreDown(String reason) {
            super(reason, null, false, false);
        }
    }
}
