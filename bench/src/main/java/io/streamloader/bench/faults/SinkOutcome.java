package io.streamloader.bench.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One sink's result, computed on id sets: posted (acknowledged by the broker), stored (distinct campaign ids in the
 * store), dead-lettered (distinct source positions in the DLQ with this sink's name), lost (posted, neither stored
 * nor dead-lettered), duplicated (stored more than once, or both stored and dead-lettered), the longest a good event
 * waited from its send to the first sample that saw its offset committed, and per hostile kind where it went.
 *
 * @param hostile per hostile kind: {stored, dead-lettered, lost}
 * @param lostSample up to five lost event ids, for the log
 */
public record SinkOutcome(
        String sink,
        long posted,
        long stored,
        long deadLettered,
        long lost,
        long duplicated,
        long foreignIds,
        double longestGoodWaitSeconds,
        long goodNeverCommitted,
        Map<String, long[]> hostile,
        List<String> lostSample) {

    static SinkOutcome of(
            String sink,
            String group,
            Ledger ledger,
            List<String> storedIds,
            Set<Long> deadLetterPositions,
            CommitTimeline timeline) {
        int n = ledger.size();
        byte[] storedCount = new byte[n];
        long foreign = 0;
        for (String id : storedIds) {
            int i = ledger.index(id);
            if (i < 0) {
                foreign++;
            } else if (storedCount[i] < Byte.MAX_VALUE) {
                storedCount[i]++;
            }
        }
        boolean[] dead = new boolean[n];
        Map<Long, Integer> byPosition = ledger.byPosition();
        for (long position : deadLetterPositions) {
            Integer i = byPosition.get(position);
            if (i != null) {
                dead[i] = true;
            }
        }
        List<String> kinds = HostileCorpus.kinds();
        Map<String, long[]> hostile = new HashMap<>();
        List<String> lostSample = new ArrayList<>();
        long posted = 0, stored = 0, deadLettered = 0, lost = 0, duplicated = 0, neverCommitted = 0;
        long longestWait = 0;
        for (int i = 0; i < n; i++) {
            if (!ledger.posted(i)) {
                continue;
            }
            posted++;
            boolean isStored = storedCount[i] > 0;
            stored += isStored ? 1 : 0;
            deadLettered += dead[i] ? 1 : 0;
            boolean isLost = !isStored && !dead[i];
            if (isLost) {
                lost++;
                if (lostSample.size() < 5) {
                    lostSample.add(ledger.id(i) + " (" + ledger.partition(i) + "/" + ledger.offset(i) + ")");
                }
            }
            if (storedCount[i] > 1 || (isStored && dead[i])) {
                duplicated++;
            }
            if (ledger.hostile(i)) {
                long[] outcome = hostile.computeIfAbsent(kinds.get(ledger.kind(i)), k -> new long[3]);
                outcome[isStored ? 0 : dead[i] ? 1 : 2]++;
            } else {
                long committed = timeline.firstCommittedNanos(group, ledger.partition(i), ledger.offset(i));
                if (committed < 0) {
                    neverCommitted++;
                } else {
                    longestWait = Math.max(longestWait, committed - ledger.sentNanos(i));
                }
            }
        }
        return new SinkOutcome(
                sink,
                posted,
                stored,
                deadLettered,
                lost,
                duplicated,
                foreign,
                longestWait / 1e9,
                neverCommitted,
                hostile,
                lostSample);
    }
}
