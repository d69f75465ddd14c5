package io.streamloader.bench.faults;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the campaign produced, per event index: its hostile kind (or none), when it was sent, and the partition and
 * offset the broker acknowledged (-1 until then, or for ever when the send failed). Written by the producer's
 * callbacks, read once producing has ended.
 */
final class Ledger {
    static final byte GOOD = -1;

    private final String idPrefix;
    private final byte[] kind;
    private final long[] sentNanos;
    private final int[] partition;
    private final long[] offset;
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure = "";

    Ledger(String idPrefix, int events) {
        this.idPrefix = idPrefix;
        this.kind = new byte[events];
        this.sentNanos = new long[events];
        this.partition = new int[events];
        this.offset = new long[events];
        Arrays.fill(kind, GOOD);
        Arrays.fill(offset, -1);
    }

    int size() {
        return kind.length;
    }

    /** The event id of index {@code i} (plus a hostile kind's suffix): {@code <prefix><i>}. */
    String id(int i) {
        return idPrefix + i;
    }

    /** The event index an id names, or -1 for an id this campaign did not produce. */
    int index(String id) {
        if (!id.startsWith(idPrefix)) {
            return -1;
        }
        int end = idPrefix.length();
        while (end < id.length() && Character.isDigit(id.charAt(end)) && end - idPrefix.length() < 10) {
            end++;
        }
        if (end == idPrefix.length()) {
            return -1;
        }
        long i = Long.parseLong(id, idPrefix.length(), end, 10);
        return i < size() ? (int) i : -1;
    }

    void sent(int i, byte hostileKind, long nanos) {
        kind[i] = hostileKind;
        sentNanos[i] = nanos;
    }

    synchronized void acked(int i, int p, long o) {
        partition[i] = p;
        offset[i] = o;
    }

    void failed(Exception e) {
        failed.incrementAndGet();
        lastFailure = e.toString();
    }

    long failedSends() {
        return failed.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    synchronized boolean posted(int i) {
        return offset[i] >= 0;
    }

    boolean hostile(int i) {
        return kind[i] != GOOD;
    }

    int kind(int i) {
        return kind[i];
    }

    long sentNanos(int i) {
        return sentNanos[i];
    }

    synchronized int partition(int i) {
        return partition[i];
    }

    synchronized long offset(int i) {
        return offset[i];
    }

    /** Event index by {@link #key(int, long) (partition, offset)}, for matching dead letters to events. */
    synchronized Map<Long, Integer> byPosition() {
        Map<Long, Integer> map = new HashMap<>(size() * 2);
        for (int i = 0; i < size(); i++) {
            if (offset[i] >= 0) {
                map.put(key(partition[i], offset[i]), i);
            }
        }
        return map;
    }

    /** The end offset (last acknowledged offset + 1) of each partition, indexed by partition. */
    synchronized long[] endOffsets(int partitions) {
        long[] end = new long[partitions];
        for (int i = 0; i < size(); i++) {
            if (offset[i] >= 0) {
                end[partition[i]] = Math.max(end[partition[i]], offset[i] + 1);
            }
        }
        return end;
    }

    static long key(int partition, long offset) {
        return ((long) partition << 40) | offset;
    }
}
