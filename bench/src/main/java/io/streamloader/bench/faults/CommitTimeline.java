package io.streamloader.bench.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every consumer group's committed offsets as seen from outside, sampled every {@value #PERIOD_MS} ms: per group and
 * partition, the moments the committed offset changed. Answers when an event's offset was first seen committed. A
 * sample the broker does not answer (it is restarting) is skipped and counted.
 */
final class CommitTimeline {
    static final long PERIOD_MS = 250;

    /** One change: from {@code nanos} on, the committed offset was {@code offset}. */
    private record Step(long offset, long nanos) {}

    /** Reads one group's committed offset per partition (from the broker, in the campaign). */
    @FunctionalInterface
    interface OffsetReader {
        Map<Integer, Long> committed(String group) throws Exception;
    }

    private final OffsetReader reader;
    private final List<String> groups;
    private final Map<String, Map<Integer, List<Step>>> steps = new HashMap<>();
    private final Map<List<Step>, long[]> maxCache = new IdentityHashMap<>();
    private long samples;
    private long failedSamples;

    CommitTimeline(OffsetReader reader, List<String> groups) {
        this.reader = reader;
        this.groups = List.copyOf(groups);
        groups.forEach(g -> steps.put(g, new HashMap<>()));
    }

    /** Reads every group's offsets once; false when the broker did not answer. */
    synchronized boolean sample() {
        samples++;
        long now = System.nanoTime();
        try {
            for (String group : groups) {
                reader.committed(group).forEach((p, offset) -> {
                    List<Step> list = steps.get(group).computeIfAbsent(p, k -> new ArrayList<>());
                    if (list.isEmpty() || list.getLast().offset() != offset) {
                        list.add(new Step(offset, now));
                    }
                });
            }
            return true;
        } catch (Exception e) {
            failedSamples++;
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /** Whether the group's latest committed offsets reached {@code end} on every partition. */
    synchronized boolean reached(String group, long[] end) {
        Map<Integer, List<Step>> byPartition = steps.get(group);
        for (int p = 0; p < end.length; p++) {
            List<Step> list = byPartition.get(p);
            long committed = list == null ? 0 : list.getLast().offset();
            if (committed < end[p]) {
                return false;
            }
        }
        return true;
    }

    /** The group's latest committed offsets summed over the partitions. */
    synchronized long committed(String group) {
        return steps.get(group).values().stream()
                .mapToLong(l -> l.getLast().offset())
                .sum();
    }

    /** The first sample that saw {@code offset} of {@code partition} committed by the group, or -1 for never. */
    synchronized long firstCommittedNanos(String group, int partition, long offset) {
        List<Step> list = steps.get(group).get(partition);
        if (list == null) {
            return -1;
        }
        // binary search on the running maximum: right even if a reset ever made a committed offset fall
        long[] max = runningMax(list);
        int lo = 0;
        int hi = max.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (max[mid] > offset) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo == max.length ? -1 : list.get(lo).nanos();
    }

    private long[] runningMax(List<Step> list) {
        long[] cached = maxCache.get(list);
        if (cached != null && cached.length == list.size()) {
            return cached;
        }
        long[] max = new long[list.size()];
        long m = Long.MIN_VALUE;
        for (int i = 0; i < max.length; i++) {
            m = Math.max(m, list.get(i).offset());
            max[i] = m;
        }
        maxCache.put(list, max);
        return max;
    }

    synchronized long samples() {
        return samples;
    }

    synchronized long failedSamples() {
        return failedSamples;
    }
}
