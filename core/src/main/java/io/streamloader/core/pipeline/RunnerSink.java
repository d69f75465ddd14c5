package io.streamloader.core.pipeline;

import io.streamloader.spi.Sink;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link Sink} of a runner's generation of workers: opened by the first worker that asks (the others wait for
 * it), shared by all, closed once the generation is stopping and the last worker has released it, which a worker does
 * after closing its writer. Thread-safe.
 */
final class RunnerSink {
    private static final Logger log = LoggerFactory.getLogger(RunnerSink.class);

    private final ConfiguredSink<?> configured;
    private final String name;
    private Sink sink; // guarded by this
    private Throwable openFailure; // guarded by this
    private int users; // guarded by this
    private boolean closing; // guarded by this
    private volatile Sink live;

    RunnerSink(ConfiguredSink<?> configured) {
        this.configured = configured;
        this.name = configured.name();
    }

    /** One attempt to open the sink ({@link io.streamloader.spi.SinkFactory#open}); for the opener of {@link #acquire}. */
    Sink open() {
        return configured.open();
    }

    /**
     * The sink, opened by this call with {@code opener} if no worker did yet; every call that returns one must be
     * paired with a {@link #release()}. Empty when the generation stopped before or while opening.
     *
     * @param opener opens the sink, retrying as it sees fit; returns null when the runner stopped meanwhile
     * @throws Exception what opening threw, to every worker that asks
     */
    synchronized Optional<Sink> acquire(Callable<Sink> opener) throws Exception {
        if (closing) {
            return Optional.empty();
        }
        if (sink == null && openFailure == null) {
            try {
                sink = opener.call();
            } catch (Exception | Error e) {
                openFailure = e;
            }
            live = sink;
        }
        if (openFailure instanceof Exception e) {
            throw e;
        }
        if (openFailure instanceof Error e) {
            throw e;
        }
        if (sink == null) {
            return Optional.empty();
        }
        users++;
        return Optional.of(sink);
    }

    /** A worker is done with the sink (its writer closed); closes the sink if it was the last one and stopping. */
    void release() {
        Sink toClose;
        synchronized (this) {
            users--;
            toClose = takeIfUnused();
        }
        close(toClose);
    }

    /** No worker may acquire any more; closes the sink now if none holds it, else when the last releases it. */
    void closeWhenUnused() {
        Sink toClose;
        synchronized (this) {
            closing = true;
            toClose = takeIfUnused();
        }
        close(toClose);
    }

    /** The open sink, for health checks from any thread; empty before it opened and after it closed. */
    Optional<Sink> current() {
        return Optional.ofNullable(live);
    }

    private Sink takeIfUnused() {
        if (!closing || users > 0 || sink == null) {
            return null;
        }
        Sink taken = sink;
        sink = null;
        live = null;
        return taken;
    }

    private void close(Sink toClose) {
        if (toClose == null) {
            return;
        }
        try {
            toClose.close();
            log.debug("sink {}: closed", name);
        } catch (RuntimeException e) {
            log.warn("sink {}: close failed", name, e);
        }
    }
}
