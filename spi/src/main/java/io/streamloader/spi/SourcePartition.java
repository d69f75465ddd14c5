package io.streamloader.spi;

import java.util.Objects;

/**
 * A Kafka topic partition a runner's worker reads, as {@link SinkWriter#partitionsAssigned} and {@link
 * SinkWriter#partitionsRevoked} name it (the SPI does not expose Kafka's own types).
 *
 * @param topic the topic
 * @param partition the partition number, zero or more
 */
public record SourcePartition(String topic, int partition) {

    public SourcePartition {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be zero or more: " + partition);
        }
    }

    /** {@code topic-partition}, as Kafka prints it. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
