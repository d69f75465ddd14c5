package io.streamloader.bench.distribution;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;

/**
 * One sink's progress as seen from outside: its group's committed offsets (a runner commits only what its sink
 * acknowledged). The rate is from the first poll that saw a commit (its count subtracted) to the first poll that saw
 * every event committed, as the Connect comparison rows measure.
 */
public final class SinkProgress {
    private final String name;
    private final String group;
    private long firstNanos;
    private long firstCount;
    private long lastNanos;
    private long lastCount;
    private long seen;
    private boolean done;

    public SinkProgress(String name, String group) {
        this.name = name;
        this.group = group;
    }

    /** The group's committed offsets summed over the topic's partitions. */
    public static long committed(Admin admin, String group, String topic)
            throws ExecutionException, InterruptedException {
        return committedByPartition(admin, group, topic).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    /**
     * The group's committed offset of each of the topic's partitions that has one. Fails after 5 s rather than waiting
     * for a broker that is down (a watcher polling every 250 ms counts the miss and asks again).
     */
    public static Map<Integer, Long> committedByPartition(Admin admin, String group, String topic)
            throws ExecutionException, InterruptedException {
        Map<Integer, Long> offsets = new TreeMap<>();
        admin.listConsumerGroupOffsets(group, new ListConsumerGroupOffsetsOptions().timeoutMs(5_000))
                .partitionsToOffsetAndMetadata()
                .get()
                .forEach((tp, om) -> {
                    if (tp.topic().equals(topic) && om != null) {
                        offsets.put(tp.partition(), om.offset());
                    }
                });
        return offsets;
    }

    /** Records one poll's committed total; returns it. */
    public long observe(long committed, long expected, long nowNanos) {
        if (committed > 0 && firstNanos == 0) {
            firstNanos = nowNanos;
            firstCount = committed;
        }
        if (!done && committed >= expected) {
            done = true;
            lastNanos = nowNanos;
            lastCount = committed;
        }
        seen = committed;
        return committed;
    }

    public String name() {
        return name;
    }

    public String group() {
        return group;
    }

    public boolean done() {
        return done;
    }

    public long seen() {
        return seen;
    }

    public long firstNanos() {
        return firstNanos;
    }

    public long lastNanos() {
        return lastNanos;
    }

    /** Events committed inside the timed window. */
    public long measured() {
        return lastCount - firstCount;
    }

    public double seconds() {
        return (lastNanos - firstNanos) / 1e9;
    }
}
