package io.streamloader.spi;

import java.util.Set;

/**
 * Creates {@link Sink}s of one type. Found with {@link java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/io.streamloader.spi.SinkFactory}; it needs a public no-argument constructor that does no I/O.
 *
 * <p>Threading: a factory is shared by the host and may be called from several threads; keep it stateless.
 */
public interface SinkFactory {

    /** The name operators write as {@code type:} in the config, for example {@code elasticsearch}. Unique per host. */
    String type();

    /**
     * Checks the settings without connecting anywhere. Called by {@code streamloader config check} and before any
     * runner starts, so that every mistake in the file is reported at once.
     *
     * @throws SinkConfigException listing every invalid or unknown key
     */
    void validate(SinkContext context);

    /**
     * Creates a started sink: connections opened, templates, indexes or migrations installed. Called once per
     * worker, on the thread that will write to and close the sink. A failure here stops the runner and is reported with the sink's name.
     *
     * @throws SinkConfigException when the settings are invalid
     * @throws RetriableSinkException when the store is unreachable; the host retries with backoff
     */
    Sink create(SinkContext context);

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
