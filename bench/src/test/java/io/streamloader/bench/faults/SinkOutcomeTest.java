package io.streamloader.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SinkOutcomeTest {

    @Test
    void lostAndDuplicatedAreComputedOnIdSets() throws Exception {
        Ledger ledger = new Ledger("t-", 6);
        for (int i = 0; i < 6; i++) {
            ledger.sent(i, i == 2 ? (byte) 0 : Ledger.GOOD, 0);
        }
        ledger.acked(0, 0, 0);
        ledger.acked(1, 0, 1);
        ledger.acked(2, 1, 0);
        ledger.acked(3, 1, 1);
        ledger.acked(4, 2, 0); // event 5: never acknowledged, so not posted
        Deque<Map<Integer, Long>> samples = new ArrayDeque<>(List.of(Map.of(0, 1L), Map.of(0, 2L, 1, 2L)));
        CommitTimeline timeline = new CommitTimeline(g -> samples.isEmpty() ? Map.of() : samples.poll(), List.of("g"));
        long beforeFirst = System.nanoTime();
        timeline.sample();
        long afterFirst = System.nanoTime();
        timeline.sample();
        long afterSecond = System.nanoTime();

        SinkOutcome outcome = SinkOutcome.of(
                "s",
                "g",
                ledger,
                List.of("t-0", "t-0", "t-1", "t-3-with-suffix", "other-9"),
                Set.of(Ledger.key(1, 0), Ledger.key(1, 1), Ledger.key(7, 7)),
                timeline);

        assertThat(outcome.posted()).isEqualTo(5);
        assertThat(outcome.stored()).as("distinct ids 0, 1, 3").isEqualTo(3);
        assertThat(outcome.deadLettered())
                .as("events 2 and 3; position 7/7 is no event")
                .isEqualTo(2);
        assertThat(outcome.lost()).as("event 4 only").isEqualTo(1);
        assertThat(outcome.lostSample()).containsExactly("t-4 (2/0)");
        assertThat(outcome.duplicated())
                .as("0 stored twice, 3 stored and dead-lettered")
                .isEqualTo(2);
        assertThat(outcome.foreignIds()).isEqualTo(1);
        assertThat(outcome.hostile()).containsOnlyKeys(HostileCorpus.kinds().getFirst());
        assertThat(outcome.hostile().get(HostileCorpus.kinds().getFirst())).containsExactly(0, 1, 0);
        assertThat(outcome.goodNeverCommitted()).as("event 4 on partition 2").isEqualTo(1);
        assertThat(outcome.longestGoodWaitSeconds() * 1e9).isBetween((double) afterFirst, (double) afterSecond);
        assertThat(timeline.firstCommittedNanos("g", 0, 0)).isBetween(beforeFirst, afterFirst);
        assertThat(timeline.firstCommittedNanos("g", 0, 1)).isBetween(afterFirst, afterSecond);
        assertThat(timeline.reached("g", new long[] {2, 2})).isTrue();
        assertThat(timeline.reached("g", new long[] {2, 2, 1})).isFalse();
    }

    @Test
    void idsMapToTheirIndexAndForeignIdsToNone() {
        Ledger ledger = new Ledger("t-", 100);
        assertThat(ledger.index("t-12")).isEqualTo(12);
        assertThat(ledger.index("t-12-" + "i".repeat(600))).isEqualTo(12);
        assertThat(ledger.index("t-")).isEqualTo(-1);
        assertThat(ledger.index("u-12")).isEqualTo(-1);
        assertThat(ledger.index("t-100")).isEqualTo(-1);
        assertThat(ledger.index("t-99999999999999999999")).isEqualTo(-1);
    }

    @Test
    void bigHostileKindsAreSentOnlyInTheFirstRounds() {
        int kinds = HostileCorpus.kinds().size();
        assertThat(HostileCorpus.kinds()).doesNotHaveDuplicates();
        List<String> firstRound = java.util.stream.LongStream.range(0, kinds)
                .mapToObj(i -> HostileCorpus.hostile(i, 1).kind())
                .toList();
        assertThat(firstRound).containsExactlyElementsOf(HostileCorpus.kinds());
        assertThat(java.util.stream.LongStream.range(kinds, 3L * kinds)
                        .mapToObj(i -> HostileCorpus.hostile(i, 1))
                        .filter(h -> h.value() != null && h.value().length > 100_000))
                .isEmpty();
    }
}
