package io.streamloader.core.pipeline;

import io.streamloader.spi.Event;
import java.util.List;

/**
 * Narrows a throwing write down to the events that cause it: halves in order (a half and everything it isolates are
 * done before the next, so a later event with the same id is still written last), until each throwing event stands
 * alone. Costs at most {@code 1 + 2k log2(n)} writes for {@code k} such events in {@code n}. The one bisection of the
 * platform: the pipeline's {@link BatchWriter} and the Kafka Connect adapter both call it.
 *
 * <p>Stateless; the caller's {@link Steps} carry what a pass found. Runs on the caller's thread.
 */
public final class Bisection {

    /** What the bisection asks of its caller. */
    public interface Steps {
        /**
         * Writes a slice once, recording its per-event failures.
         *
         * @return what the write threw when that is about the events, else null; may throw to abandon the bisection
         */
        Throwable write(List<Event> slice);

        /** {@code event} threw when written alone. */
        void isolated(Event event, Throwable thrown);

        /**
         * Both halves of a split threw: more likely the store than the events. Throw to abandon the bisection (the
         * store is down); return to go on narrowing.
         */
        void bothHalvesThrew(Throwable thrown);

        /** A split is about to be written; for metrics. */
        default void splitting(int size) {}
    }

    private Bisection() {}

    /** Narrows {@code events}, whose write threw {@code thrown}, down to the events that throw alone. */
    public static void isolate(List<Event> events, Throwable thrown, Steps steps) {
        if (events.size() == 1) {
            steps.isolated(events.getFirst(), thrown);
            return;
        }
        steps.splitting(events.size());
        int mid = events.size() / 2;
        List<Event> left = events.subList(0, mid);
        List<Event> right = events.subList(mid, events.size());
        Throwable leftThrew = steps.write(left);
        if (leftThrew != null) {
            isolate(left, leftThrew, steps);
        }
        Throwable rightThrew = steps.write(right);
        if (rightThrew != null) {
            if (leftThrew != null) {
                steps.bothHalvesThrew(rightThrew);
            }
            isolate(right, rightThrew, steps);
        }
    }
}
