package io.streamloader.core.pipeline;

import io.streamloader.core.pipeline.BatchWriter.Coordinates;
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
 * One pass of {@link BatchWriter} over the events still to write: a sink call, narrowed down by halves ({@link
 * Bisection}) if it throws, and each event's outcome sorted out. What the pass cannot tell from the sink's answer alone
 * it asks the store's health check, at most once per pass: per-event failures of every event, or a throw from both
 * halves of a split, are the store's fault when it is unhealthy.
 *
 * <p>Outcomes: stored (counted), {@linkplain Failed failed} as the sink reported or store-wide, or {@linkplain Suspect
 * suspect} (threw on its own while the store was healthy). {@link FatalSinkException} and JVM failures are rethrown.
 * Sink thread only.
 */
final class WritePass {
    private static final Logger log = LoggerFactory.getLogger(WritePass.class);
    /** How long a health probe may take before the store counts as unhealthy. */
    private static final Duration HEALTH_TIMEOUT = StoreHealthProbe.DEFAULT_TIMEOUT;

    private final String sinkName;
    private final SinkWriter writer;
    private final Sink sink;
    private final PipelineMetrics metrics;

    WritePass(String sinkName, SinkWriter writer, Sink sink, PipelineMetrics metrics) {
        this.sinkName = sinkName;
        this.writer = writer;
        this.sink = sink;
        this.metrics = metrics;
    }

    /** One pass over {@code toWrite}: a sink call, narrowed down by halves if it throws. */
    Round write(List<Event> toWrite) {
        Round round = new Round(toWrite.size());
        try {
            Throwable thrown = attempt(toWrite, round);
            if (thrown != null) {
                isolate(toWrite, thrown, round);
            }
            if (!round.suspects.isEmpty()) {
                Optional<String> problem = storeProblem(round);
                if (problem.isPresent()) { // not the events' fault: retry them as in an outage
                    for (Suspect s : round.suspects) {
                        round.failed.add(
                                new Failed(s.event(), FailureKind.RETRIABLE, problem.get(), "health_check", true));
                    }
                    round.suspects.clear();
                }
            }
        } catch (StoreDown down) {
            log.warn(
                    "sink {}: batch of {} failed transiently, will retry: {}",
                    sinkName,
                    toWrite.size(),
                    down.getMessage());
            round = new Round(toWrite.size());
            for (Event event : toWrite) {
                round.failed.add(new Failed(event, FailureKind.RETRIABLE, down.getMessage(), down.errorClass, true));
            }
        }
        round.stored = toWrite.size() - round.failed.size() - round.suspects.size();
        metrics.written.increment(round.stored);
        return round;
    }

    /**
     * One sink call; records the per-event failures it reports in {@code round}.
     *
     * @return what the call threw when it is about the events, else null
     * @throws StoreDown when the store is down
     */
    private Throwable attempt(List<Event> events, Round round) {
        List<EventFailure> failures;
        try {
            failures = writer.write(List.copyOf(events)).failures();
        } catch (RetriableSinkException e) {
            throw new StoreDown(message(e), e.getClass().getName());
        } catch (FatalSinkException e) {
            throw e;
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
                throw (Error) t; // out of memory and the like: the JVM, not an event
            }
            if (t instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
                throw new StoreDown("interrupted while writing", t.getClass().getName());
            }
            log.debug("sink {}: write of {} event(s) threw {}", sinkName, events.size(), t.toString());
            return t;
        }
        if (failures.isEmpty()) {
            return null;
        }
        // matched by coordinates, never by id: two events of a batch may share an id
        Map<Coordinates, EventFailure> byCoordinates = new HashMap<>();
        for (EventFailure failure : failures) {
            byCoordinates.put(Coordinates.of(failure.event()), failure);
        }
        int matched = 0;
        int retriable = 0;
        int first = round.failed.size();
        for (Event event : events) {
            EventFailure failure = byCoordinates.get(Coordinates.of(event));
            if (failure != null) {
                matched++;
                retriable += failure.kind() == FailureKind.RETRIABLE ? 1 : 0;
                round.failed.add(new Failed(event, failure.kind(), failure.reason(), failure.errorClass(), false));
            }
        }
        if (matched < byCoordinates.size()) {
            log.warn(
                    "sink {}: reported {} failure(s) for events not in the write; ignored",
                    sinkName,
                    byCoordinates.size() - matched);
        }
        if (retriable == events.size()) {
            // no neighbour succeeded: an outage the sink did not call one, or events failing on their own?
            Optional<String> problem = storeProblem(round);
            if (problem.isPresent()) {
                for (int i = first; i < round.failed.size(); i++) {
                    round.failed.set(i, round.failed.get(i).asStoreWide());
                }
            }
        }
        return null;
    }

    /** Narrows a throwing write down to the events that throw alone ({@link Bisection}); they become suspects. */
    private void isolate(List<Event> events, Throwable thrown, Round round) {
        Bisection.isolate(events, thrown, new Bisection.Steps() {
            @Override
            public Throwable write(List<Event> slice) {
                return attempt(slice, round);
            }

            @Override
            public void isolated(Event event, Throwable cause) {
                round.suspects.add(new Suspect(event, cause));
            }

            @Override
            public void bothHalvesThrew(Throwable cause) {
                Optional<String> problem = storeProblem(round);
                if (problem.isPresent()) {
                    throw new StoreDown(problem.get(), cause.getClass().getName());
                }
            }

            @Override
            public void splitting(int size) {
                metrics.bisections.increment();
            }
        });
    }

    /** Why the store is unhealthy, if it is; asks {@link Sink#checkHealth()} at most once per round. */
    private Optional<String> storeProblem(Round round) {
        if (round.storeProblem == null) {
            round.storeProblem = probe();
            round.storeProblem.ifPresent(p -> log.warn("sink {}: store unhealthy: {}", sinkName, p));
        }
        return round.storeProblem;
    }

    private Optional<String> probe() {
        return StoreHealthProbe.problem(sink, HEALTH_TIMEOUT);
    }

    private static String message(Throwable t) {
        return StoreHealthProbe.message(t);
    }

    /** A per-event failure; {@code storeWide} when the store, not the event, is failing (it does not count). */
    record Failed(Event event, FailureKind kind, String reason, String errorClass, boolean storeWide) {
        Failed asStoreWide() {
            return new Failed(event, kind, reason, errorClass, true);
        }
    }

    /** An event whose write threw when it stood alone. */
    record Suspect(Event event, Throwable thrown) {}

    /** What one pass over the events to write found. */
    static final class Round {
        final List<Failed> failed = new ArrayList<>();
        final List<Suspect> suspects = new ArrayList<>();
        /** The health probe's answer in this round, once asked. */
        Optional<String> storeProblem;

        int stored;

        Round(int size) {
            stored = size;
        }
    }

    /** The store is down: the whole pass is retried as a transient failure, nothing dead-lettered. */
    private static final class StoreDown extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String errorClass;

        StoreDown(String reason, String errorClass) {
            super(reason, null, false, false);
            this.errorClass = errorClass;
        }
    }
}
