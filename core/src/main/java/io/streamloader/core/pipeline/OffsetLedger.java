package io.streamloader.core.pipeline;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A worker's offset bookkeeping, apart from the consumer that sends the commits: which partitions it owns, which
 * offsets its resolved batches acknowledged per partition, which of them are committable, and what to commit when
 * partitions are revoked or the worker stops.
 *
 * <p>Rules:
 *
 * <ol>
 *   <li>A batch takes a {@linkplain #heldFromNow() hold} when it is cut. Its acknowledgement counts only for the
 *       partitions held without interruption since then: a partition revoked while the batch was written, even if
 *       assigned back before it ended, is not committed by it (the batch may have dropped some of its events, and the
 *       consumer re-reads them from the committed offset).
 *   <li>A committable offset never moves back: an acknowledgement older than the one recorded is ignored.
 *   <li>Revoked or lost partitions are forgotten; what was acknowledged and not committed is handed out once, for the
 *       last synchronous commit of a revocation, and never committed later, even if the partition comes back.
 * </ol>
 *
 * <p>Threading: the consumer thread calls every method; a hold's predicate is read by the sink thread.
 */
final class OffsetLedger {
    /** Least time between two async commits; what a crash may redeliver on top of the batch in flight. */
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private final long commitIntervalNanos;
    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    private final Set<TopicPartition> ownedView = Collections.unmodifiableSet(owned);
    /** Revocations and losses counted; a hold notes the count when it is taken. */
    private final AtomicLong revocations = new AtomicLong();
    /** Each partition's last revocation (a value of {@link #revocations}). */
    private final Map<TopicPartition, Long> revokedAt = new ConcurrentHashMap<>();
    /** The next offset to commit per partition, acknowledged by resolved batches and not yet forgotten. */
    private final Map<TopicPartition, OffsetAndMetadata> acknowledged = new HashMap<>();
    /** Whether {@link #acknowledged} holds offsets not sent in a commit yet. */
    private boolean unsent;
    /** Set by a failed commit of a partition still owned; the worker then commits synchronously. */
    private boolean commitFailed;

    private long lastCommitNanos;

    OffsetLedger(Duration commitInterval, long nowNanos) {
        this.commitIntervalNanos = commitInterval.toNanos();
        this.lastCommitNanos = nowNanos - commitIntervalNanos;
    }

    OffsetLedger() {
        this(COMMIT_INTERVAL, System.nanoTime());
    }

    /** The partitions owned now; a live, read-only view. */
    Set<TopicPartition> owned() {
        return ownedView;
    }

    void assigned(Collection<TopicPartition> partitions) {
        owned.addAll(partitions);
    }

    /**
     * For a batch cut now: whether a partition is owned and was not revoked since. Once false for a partition it stays
     * false.
     */
    Predicate<TopicPartition> heldFromNow() {
        long since = revocations.get();
        return tp -> owned.contains(tp) && revokedAt.getOrDefault(tp, Long.MIN_VALUE) <= since;
    }

    /**
     * Records a resolved batch's offsets, of the partitions {@code held} (its {@link #heldFromNow()}) alone.
     *
     * @return whether any committable offset moved on
     */
    boolean acknowledge(Predicate<TopicPartition> held, Map<TopicPartition, OffsetAndMetadata> offsets) {
        boolean moved = false;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
            TopicPartition tp = e.getKey();
            if (!held.test(tp)) {
                continue;
            }
            OffsetAndMetadata before = acknowledged.get(tp);
            if (before == null || before.offset() < e.getValue().offset()) {
                acknowledged.put(tp, e.getValue());
                moved = true;
            }
        }
        unsent |= moved;
        return moved;
    }

    /**
     * The offsets to send in an async commit at {@code nowNanos}: every acknowledged one, when some were not sent yet
     * and {@link #COMMIT_INTERVAL} passed since the last. A commit per batch costs the broker a log append each and the
     * consumer a share of its throughput; a deferred or lost async commit only costs a redelivery.
     */
    Optional<Map<TopicPartition, OffsetAndMetadata>> dueForAsyncCommit(long nowNanos) {
        if (!unsent || nowNanos - lastCommitNanos < commitIntervalNanos) {
            return Optional.empty();
        }
        unsent = false;
        lastCommitNanos = nowNanos;
        return Optional.of(new HashMap<>(acknowledged));
    }

    /** A commit failed while its partitions stay owned: the next {@link #takeCommitFailed()} says so, once. */
    void commitFailed() {
        commitFailed = true;
    }

    boolean takeCommitFailed() {
        boolean failed = commitFailed;
        commitFailed = false;
        return failed;
    }

    /** The acknowledged offsets of {@code partitions}, kept. */
    Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = acknowledged.get(tp);
            if (offset != null) {
                offsets.put(tp, offset);
            }
        }
        return offsets;
    }

    /** The acknowledged offsets of partitions about to be revoked, taken out: commit them now or never. */
    Map<TopicPartition, OffsetAndMetadata> takeCommittable(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions);
        offsets.keySet().forEach(acknowledged::remove);
        return offsets;
    }

    /** {@code offsets} were committed: nothing of theirs is left to commit (unless acknowledged further since). */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach(acknowledged::remove);
    }

    /**
     * {@code partitions} are given up (after {@link #takeCommittable}) or lost: they are no longer owned, and every
     * hold taken before now fails for them. Marked revoked first, so a sink thread reading in between sees it.
     */
    void revoked(Collection<TopicPartition> partitions) {
        long revocation = revocations.incrementAndGet();
        partitions.forEach(tp -> revokedAt.put(tp, revocation));
        owned.removeAll(partitions);
        partitions.forEach(acknowledged::remove);
    }
}
