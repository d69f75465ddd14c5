package io.streamloader.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StreamloaderSinkTaskTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void preCommitNeverPassesARecordStillBeingRetried() {
        Map<TopicPartition, OffsetAndMetadata> current =
                Map.of(P0, new OffsetAndMetadata(100), P1, new OffsetAndMetadata(7));
        assertThat(StreamloaderSinkTask.acknowledged(current, Map.of(P0, 40L)))
                .isEqualTo(Map.of(P0, new OffsetAndMetadata(40), P1, new OffsetAndMetadata(7)));
        assertThat(StreamloaderSinkTask.acknowledged(current, Map.of(P1, 9L))).isEqualTo(current);
        assertThat(StreamloaderSinkTask.acknowledged(current, Map.of())).isEqualTo(current);
    }

    @Test
    void backoffGrowsAndIsCapped() {
        for (int attempt = 1; attempt < 40; attempt++) {
            Duration d = StreamloaderSinkTask.backoff(attempt);
            long cap = Math.min(200L << Math.min(attempt - 1, 20), 30_000);
            assertThat(d.toMillis()).isBetween(cap / 2, cap);
        }
    }
}
