package io.streamloader.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A worker's offset bookkeeping, without a consumer: what is acknowledged, committable, and committed on revoke. */
class OffsetLedgerTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final TopicPartition P2 = new TopicPartition("orders", 2);
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final long T0 = 1_000_000_000L;

    private final OffsetLedger ledger = new OffsetLedger(INTERVAL, T0);

    private static OffsetAndMetadata at(long offset) {
        return new OffsetAndMetadata(offset);
    }

    @Test
    void acknowledgedOffsetsOfOwnedPartitionsBecomeCommittableAndOthersAreIgnored() {
        ledger.assigned(List.of(P0, P1));

        boolean moved = ledger.acknowledge(ledger.heldFromNow(), Map.of(P0, at(10), P1, at(4), P2, at(7)));

        assertThat(moved).isTrue();
        assertThat(ledger.committable(List.of(P0, P1, P2)))
                .as("P2 was never this worker's")
                .isEqualTo(Map.of(P0, at(10), P1, at(4)));
        assertThat(ledger.owned()).containsExactlyInAnyOrder(P0, P1);
    }

    @Test
    void anOlderAcknowledgementArrivingLateNeverMovesACommittableOffsetBack() {
        ledger.assigned(List.of(P0, P1));
        Predicate<TopicPartition> first = ledger.heldFromNow();
        Predicate<TopicPartition> second = ledger.heldFromNow();

        assertThat(ledger.acknowledge(second, Map.of(P0, at(20)))).isTrue();
        assertThat(ledger.acknowledge(first, Map.of(P0, at(10), P1, at(3))))
                .as("P1 moved on")
                .isTrue();
        assertThat(ledger.acknowledge(first, Map.of(P0, at(20))))
                .as("nothing new")
                .isFalse();

        assertThat(ledger.committable(List.of(P0, P1))).isEqualTo(Map.of(P0, at(20), P1, at(3)));
    }

    @Test
    void offsetGapsAndPartitionsMissingFromABatchKeepWhatWasAcknowledged() {
        ledger.assigned(List.of(P0, P1));
        ledger.acknowledge(ledger.heldFromNow(), Map.of(P0, at(3), P1, at(8)));

        // compaction or transaction markers: the next batch's P0 offset jumps; it holds no P1 event at all
        ledger.acknowledge(ledger.heldFromNow(), Map.of(P0, at(250)));

        assertThat(ledger.committable(List.of(P0, P1))).isEqualTo(Map.of(P0, at(250), P1, at(8)));
    }

    @Test
    void aPartitionRevokedWhileABatchIsWrittenIsNotCommittedByIt() {
        ledger.assigned(List.of(P0, P1));
        ledger.acknowledge(ledger.heldFromNow(), Map.of(P0, at(5)));
        Predicate<TopicPartition> inFlight = ledger.heldFromNow();

        Map<TopicPartition, OffsetAndMetadata> lastCommit = ledger.takeCommittable(List.of(P0));
        ledger.revoked(List.of(P0));

        assertThat(lastCommit)
                .as("what to commit on revoke: acknowledged before it")
                .isEqualTo(Map.of(P0, at(5)));
        assertThat(inFlight.test(P0)).isFalse();
        assertThat(inFlight.test(P1)).isTrue();
        ledger.acknowledge(inFlight, Map.of(P0, at(9), P1, at(2)));
        assertThat(ledger.committable(List.of(P0, P1))).isEqualTo(Map.of(P1, at(2)));
        assertThat(ledger.takeCommittable(List.of(P0))).as("handed out once").isEmpty();
        assertThat(ledger.owned()).containsExactly(P1);
    }

    @Test
    void aPartitionRevokedAndAssignedBackMidBatchIsCommittedOnlyByBatchesCutAfterwards() {
        ledger.assigned(List.of(P0, P1));
        ledger.revoked(List.of(P0)); // an earlier revocation, before the batch: irrelevant once assigned back
        ledger.assigned(List.of(P0));
        Predicate<TopicPartition> inFlight = ledger.heldFromNow();
        assertThat(inFlight.test(P0)).isTrue();

        ledger.takeCommittable(List.of(P0));
        ledger.revoked(List.of(P0)); // during the batch's retry backoff...
        ledger.assigned(List.of(P0)); // ...and back to this worker before the batch ends

        assertThat(inFlight.test(P0)).as("revoked while the batch was written").isFalse();
        assertThat(ledger.acknowledge(inFlight, Map.of(P0, at(40)))).isFalse();
        assertThat(ledger.committable(List.of(P0))).isEmpty();

        Predicate<TopicPartition> next = ledger.heldFromNow();
        assertThat(ledger.acknowledge(next, Map.of(P0, at(12))))
                .as("a batch cut after the reassignment may commit it, from the re-read offset")
                .isTrue();
        assertThat(ledger.committable(List.of(P0))).isEqualTo(Map.of(P0, at(12)));
        assertThat(inFlight.test(P1)).isTrue();
        ledger.revoked(List.of(P1));
        assertThat(inFlight.test(P1)).as("not owned").isFalse();
    }

    @Test
    void lostPartitionsAreForgottenWithoutACommit() {
        ledger.assigned(List.of(P0, P1));
        ledger.acknowledge(ledger.heldFromNow(), Map.of(P0, at(5), P1, at(6)));

        ledger.revoked(List.of(P0)); // lost: no takeCommittable first

        assertThat(ledger.committable(List.of(P0, P1))).isEqualTo(Map.of(P1, at(6)));
        ledger.assigned(List.of(P0));
        assertThat(ledger.committable(List.of(P0)))
                .as("not committed past, even once back")
                .isEmpty();
    }

    @Test
    void asyncCommitsAreDueOnlyWithNewOffsetsAndAtMostOncePerInterval() {
        ledger.assigned(List.of(P0));
        assertThat(ledger.dueForAsyncCommit(T0)).as("nothing acknowledged").isEmpty();

        ledger.acknowledge(ledger.heldFromNow(), Map.of(P0, at(1)));
        assertThat(ledger.dueForAsyncCommit(T0)).contains(Map.of(P0, at(1)));

        ledger.acknowledge(ledger.heldFromNow(), Map.of(P0, at(2)));
        assertThat(ledger.dueForAsyncCommit(T0 + INTERVAL.toNanos() - 1))
                .as("within the interval")
                .isEmpty();
        assertThat(ledger.dueForAsyncCommit(T0 + INTERVAL.toNanos())).contains(Map.of(P0, at(2)));
        assertThat(ledger.dueForAsyncCommit(T0 + 10 * INTERVAL.toNanos()))
                .as("already sent")
                .isEmpty();
    }

    @Test
    void aFailedCommitIsReportedOnceAndACommittedOffsetIsNotCommittedAgain() {
        ledger.assigned(List.of(P0, P1));
        ledger.acknowledge(ledger.heldFromNow(), Map.of(P0, at(5), P1, at(6)));

        assertThat(ledger.takeCommitFailed()).isFalse();
        ledger.commitFailed();
        assertThat(ledger.takeCommitFailed()).isTrue();
        assertThat(ledger.takeCommitFailed()).isFalse();

        Map<TopicPartition, OffsetAndMetadata> sent = ledger.committable(ledger.owned());
        ledger.acknowledge(ledger.heldFromNow(), Map.of(P1, at(9))); // acknowledged further meanwhile
        ledger.committed(sent);
        assertThat(ledger.committable(Set.of(P0, P1)))
                .as("only what was committed is done")
                .isEqualTo(Map.of(P1, at(9)));
    }
}
