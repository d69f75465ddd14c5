package io.streamloader.core.pipeline;

import io.streamloader.spi.SinkFactory;
import java.time.Duration;
import java.util.Objects;

/**
 * When a runner hands its accumulated records to the sink: at {@code maxRecords} records, at {@code maxBytes} of
 * values and keys, or {@code maxLinger} after the first record of the batch arrived, whichever comes first.
 *
 * @param maxRecords records per batch, at least 1; or {@link #SINK_DEFAULT_RECORDS}, the sink's own default, which the
 *     runner resolves ({@link #resolve}) before any batch is cut
 * @param maxBytes bytes of keys and values per batch, at least 1; a single larger record still forms a batch alone
 * @param maxLinger how long a partial batch may wait for more records; zero writes whatever one poll returned
 */
public record BatchPolicy(int maxRecords, long maxBytes, Duration maxLinger) {

    public static final BatchPolicy DEFAULT =
            new BatchPolicy(SinkFactory.DEFAULT_BATCH_RECORDS, 8L * 1024 * 1024, Duration.ofMillis(200));

    /** {@code maxRecords} of a policy that leaves the number to the sink: {@link SinkFactory#defaultBatchRecords()}. */
    public static final int SINK_DEFAULT_RECORDS = 0;

    public BatchPolicy {
        if (maxRecords < 1 && maxRecords != SINK_DEFAULT_RECORDS) {
            throw new IllegalArgumentException("maxRecords must be at least 1, was " + maxRecords);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
        }
        Objects.requireNonNull(maxLinger, "maxLinger");
        if (maxLinger.isNegative()) {
            throw new IllegalArgumentException("maxLinger must not be negative, was " + maxLinger);
        }
    }

    /** Whether {@code maxRecords} is left to the sink. */
    public boolean sinkDefaultRecords() {
        return maxRecords == SINK_DEFAULT_RECORDS;
    }

    /**
     * This policy with the sink's default number of records if it leaves that to the sink; else this policy.
     *
     * @throws IllegalArgumentException when that default is not a positive number
     */
    public BatchPolicy resolve(SinkFactory<?> factory) {
        if (!sinkDefaultRecords()) {
            return this;
        }
        int records = factory.defaultBatchRecords();
        if (records < 1) {
            throw new IllegalArgumentException("the " + factory.type() + " plugin's defaultBatchRecords() returned "
                    + records + ": set batch.max-records for its sinks");
        }
        return new BatchPolicy(records, maxBytes, maxLinger);
    }

    @Override
    public String toString() {
        return "BatchPolicy[maxRecords=" + (sinkDefaultRecords() ? "the sink's default" : Integer.toString(maxRecords))
                + ", maxBytes=" + maxBytes + ", maxLinger=" + maxLinger + "]";
    }
}
