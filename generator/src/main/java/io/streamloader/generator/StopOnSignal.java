package io.streamloader.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into a call to {@code stop} instead of the JVM's shutdown, so a run without a
 * count ends with its summary and its own exit code (0 when every request succeeded, not 130 or 143). A second signal
 * halts the process at once with the usual 128 + signal number, for a run whose answers never come. Closing restores
 * the previous handlers.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way to handle a signal without shutting down;
 * a signal the JVM does not let us handle (one ignored by the parent shell, as a background job's SIGINT) keeps its
 * default behaviour.
 */
final class StopOnSignal implements AutoCloseable {
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopOnSignal() {}

    static StopOnSignal install(Runnable stop) {
        StopOnSignal installed = new StopOnSignal();
        AtomicBoolean signalled = new AtomicBoolean();
        SignalHandler handler = signal -> {
            if (signalled.getAndSet(true)) {
                Runtime.getRuntime().halt(128 + signal.getNumber());
            }
            stop.run();
        };
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal signal = new Signal(name);
                SignalHandler old = Signal.handle(signal, handler);
                installed.signals.add(signal);
                installed.previous.add(old);
            } catch (IllegalArgumentException e) {
                // not available here (the platform lacks it, or the JVM keeps it): its default behaviour stays
            }
        }
        return installed;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            try {
                Signal.handle(signals.get(i), previous.get(i));
            } catch (IllegalArgumentException e) {
                // as at install
            }
        }
        signals.clear();
        previous.clear();
    }
}
