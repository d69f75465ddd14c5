package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The shared halving: which events it isolates, in which order it writes, what it costs, and how it is abandoned. */
class BisectionTest {

    /** Steps over a fake write that throws whenever a slice holds a poisoned offset. */
    private static final class Recorder implements Bisection.Steps {
        final Set<Long> poison;
        final List<List<Long>> writes = new ArrayList<>();
        final List<Long> isolated = new ArrayList<>();
        int bothThrew;
        int splits;
        boolean abandonWhenBothThrow;

        Recorder(Set<Long> poison) {
            this.poison = poison;
        }

        @Override
        public Throwable write(List<Event> slice) {
            writes.add(slice.stream().map(Event::offset).toList());
            return slice.stream().anyMatch(e -> poison.contains(e.offset()))
                    ? new IllegalArgumentException("poison in slice")
                    : null;
        }

        @Override
        public void isolated(Event event, Throwable thrown) {
            isolated.add(event.offset());
        }

        @Override
        public void bothHalvesThrew(Throwable thrown) {
            bothThrew++;
            if (abandonWhenBothThrow) {
                throw new IllegalStateException("store down");
            }
        }

        @Override
        public void splitting(int size) {
            splits++;
        }
    }

    private static List<Event> events(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> Event.builder()
                        .id("id-" + i)
                        .topic("t")
                        .partition(0)
                        .offset(i)
                        .timestamp(Instant.EPOCH)
                        .value(new byte[] {1})
                        .build())
                .toList();
    }

    @Test
    void isolatesEachThrowingEventInBatchOrder() {
        Recorder steps = new Recorder(Set.of(2L, 13L, 14L));
        Bisection.isolate(events(16), new IllegalArgumentException("first"), steps);
        assertThat(steps.isolated).containsExactly(2L, 13L, 14L);
    }

    @Test
    void writesEveryInnocentEventExactlyOnceAsPartOfACleanSlice() {
        Recorder steps = new Recorder(Set.of(5L));
        Bisection.isolate(events(8), new IllegalArgumentException("first"), steps);
        // slices that did not throw are what got stored
        List<Long> stored = steps.writes.stream()
                .filter(s -> !s.contains(5L))
                .flatMap(List::stream)
                .toList();
        assertThat(stored).containsExactly(0L, 1L, 2L, 3L, 4L, 6L, 7L);
        assertThat(steps.writes).hasSize(2 * 3); // 2 writes per level, log2(8) levels
        assertThat(steps.splits).isEqualTo(3);
    }

    @Test
    void aSingleEventIsIsolatedWithoutAnotherWrite() {
        Recorder steps = new Recorder(Set.of(0L));
        IllegalArgumentException thrown = new IllegalArgumentException("alone");
        Bisection.isolate(events(1), thrown, steps);
        assertThat(steps.isolated).containsExactly(0L);
        assertThat(steps.writes).isEmpty();
    }

    @Test
    void bothHalvesThrowingIsReportedAndCanAbandonTheBisection() {
        Recorder steps = new Recorder(Set.of(0L, 3L));
        steps.abandonWhenBothThrow = true;
        assertThatThrownBy(() -> Bisection.isolate(events(4), new IllegalArgumentException("x"), steps))
                .hasMessage("store down");
        assertThat(steps.bothThrew).isEqualTo(1);
        assertThat(steps.isolated).containsExactly(0L); // the left half was narrowed before the right one threw
    }

    @Test
    void bothHalvesThrowingGoesOnNarrowingWhenTheCallerReturns() {
        Recorder steps = new Recorder(Set.of(0L, 3L));
        Bisection.isolate(events(4), new IllegalArgumentException("x"), steps);
        assertThat(steps.bothThrew).isEqualTo(1);
        assertThat(steps.isolated).containsExactly(0L, 3L);
    }
}
