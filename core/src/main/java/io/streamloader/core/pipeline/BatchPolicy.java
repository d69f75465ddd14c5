package io.streamloader.core.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * When a runner hands its accumulated records to the sink: at {@code maxRecords} records, at {@code maxBytes} of
 * values and keys, or {@code maxLinger} after the first record of the batch arrived, whichever comes first.
 *
 * @param maxRecords records per batch, at least 1
 * @param maxBytes bytes of keys and values per batch, at least 1; a single larger record still forms a batch alone
 * @param maxLinger how long a partial batch may wait for more records; zero writes whatever one poll returned
 */
public record BatchPolicy(int maxRecords, long maxBytes, Duration maxLinger) {

    public static final BatchPolicy DEFAULT = new BatchPolicy(1000, 8L * 1024 * 1024, Duration.ofMillis(200));

    public BatchPolicy {
        if (maxRecords < 1) {
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
}
