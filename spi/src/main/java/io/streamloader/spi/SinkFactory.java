package io.streamloader.spi;

import java.util.Set;

/**
 * Opens {@link Sink}s of one type. Found with {@link java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/io.streamloader.spi.SinkFactory}; it needs a public no-argument constructor that does no I/O.
 *
 * <p>Configuration is parsed once, purely, into a value of type {@code C} ({@link #parse}); opening the sink
 * ({@link #open}) gets that value, so the settings are never read twice. Threading: a factory is shared by the host
 * and may be called from several threads; keep it stateless.
 *
 * @param <C> the sink's parsed, immutable settings
 */
public interface SinkFactory<C> {

    /** The name operators write as {@code type:} in the config, for example {@code elasticsearch}. Unique per host. */
    String type();

    /**
     * Parses and checks the settings without connecting anywhere: no I/O. Called once per runner by the host, and
     * alone by {@code streamloader config check}, so every mistake in the file is reported at once.
     *
     * @return the settings, immutable; passed to {@link #open}
     * @throws SinkConfigException listing every invalid or unknown key
     */
    C parse(SinkContext context);

    /**
     * Opens the sink for one runner: clients connected, templates, indexes or migrations installed. Called once per
     * runner start (and again after the runner's supervisor restarted it), on the sink thread of the runner's first
     * worker to start; the other workers wait for it. A failure here stops the runner and is reported with the sink's
     * name.
     *
     * @param config what {@link #parse} returned for this context
     * @throws RetriableSinkException when the store is unreachable; the host retries with backoff
     * @throws FatalSinkException when the store refuses the sink (credentials, migration); the runner fails
     */
    Sink open(SinkContext context, C config);

    /** Records per batch of a sink that does not override {@link #defaultBatchRecords()}. */
    int DEFAULT_BATCH_RECORDS = 1000;

    /**
     * Records per batch when the operator sets no {@code batch.max-records}: the batch size this store is written
     * fastest at, measured. {@value #DEFAULT_BATCH_RECORDS} unless the sink knows better.
     */
    default int defaultBatchRecords() {
        return DEFAULT_BATCH_RECORDS;
    }

    /** Keys whose values are secrets; the host masks them in logs and in {@code config check} output. */
    default Set<String> secretKeys() {
        return Set.of();
    }

    /** The plugin's version, shown by {@code streamloader plugins list}; by default the jar's Implementation-Version. */
    default String version() {
        String v = getClass().getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }
}
