package io.streamloader.bench.memory;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;

/**
 * One sink's progress as seen from outside: its group's committed offsets (a runner commits only what its sink
 * acknowledged). The rate is from the first poll that saw a commit (its count subtracted) to the first poll that saw
 * every event committed, as the Connect comparison rows measure.
 */
final class SinkProgress {
    private final String name;
    private final String group;
    private long firstNanos;
    private long firstCount;
    private long lastNanos;
    private long lastCount;
    private long seen;
    private boolean done;

    SinkProgress(String name, String group) {
        this.name = name;
        this.group = group;
    }

    /** The group's committed offsets summed over the topic's partitions. */
    static long committed(Admin admin, String group, String topic) throws ExecutionException, InterruptedException {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset())
                .sum();
    }

    /** Records one poll's committed total; returns it. */
    long observe(long committed, long expected, long nowNanos) {
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

    String name() {
        return name;
    }

    String group() {
        return group;
    }

    boolean done() {
        return done;
    }

    long seen() {
        return seen;
    }

    long firstNanos() {
        return firstNanos;
    }

    long lastNanos() {
        return lastNanos;
    }

    /** Events committed inside the timed window. */
    long measured() {
        return lastCount - firstCount;
    }

    double seconds() {
        return (lastNanos - firstNanos) / 1e9;
    }
}
