package io.streamloader.bench.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How {@link Flow} charges read-back latencies: each event until its own confirming read, not the whole check. */
class FlowTest {

    @Test
    void eachEventIsChargedTheTimeItsOwnReadReturned() throws Exception {
        long ack = System.nanoTime();
        List<List<String>> asked = new ArrayList<>();
        // a check whose HEADs answered at +10 ms and +300 ms: the old reader charged both +300 ms (or later)
        ReadBack reader = ids -> {
            asked.add(List.copyOf(ids));
            return Map.of("a", ack + TimeUnit.MILLISECONDS.toNanos(10), "b", ack + TimeUnit.MILLISECONDS.toNanos(300));
        };
        Flow flow = new Flow("test", reader);
        flow.acknowledged("a", ack);
        flow.acknowledged("b", ack);

        Flow.Latencies latencies = flow.check(() -> true, 60_000);

        assertThat(asked).containsExactly(List.of("a", "b"));
        assertThat(latencies.millis()).containsExactlyInAnyOrder(10.0, 300.0);
        assertThat(latencies.missing()).isZero();
    }

    @Test
    void idsNotYetReadableAreAskedAgainUntilTheyAre() throws Exception {
        long ack = System.nanoTime();
        List<List<String>> asked = new ArrayList<>();
        ReadBack reader = ids -> {
            asked.add(List.copyOf(ids));
            long seen = ack + TimeUnit.MILLISECONDS.toNanos(5L * asked.size());
            return asked.size() == 1 ? Map.of("a", seen) : Map.of("b", seen);
        };
        Flow flow = new Flow("test", reader);
        flow.acknowledged("a", ack);
        flow.acknowledged("b", ack);

        Flow.Latencies latencies = flow.check(() -> true, 60_000);

        assertThat(asked).containsExactly(List.of("a", "b"), List.of("b"));
        assertThat(latencies.millis()).containsExactly(5.0, 10.0);
        assertThat(latencies.percentile(99)).isEqualTo(10.0);
    }
}
