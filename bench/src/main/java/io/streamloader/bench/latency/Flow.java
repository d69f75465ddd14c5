package io.streamloader.bench.latency;

import io.streamloader.bench.ObservedWrites;
import io.streamloader.spi.SinkFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One flow of the latency bench (a sink and its store): counts the events its runner stored, and measures for the
 * sampled acknowledged events how long until {@link ReadBack} sees them. A checker thread asks the store for every
 * waiting id each {@value #CHECK_INTERVAL_MS} ms; each event is charged until the read that confirmed it returned, so
 * a latency is exact to that interval plus its own read.
 */
final class Flow {
    static final long CHECK_INTERVAL_MS = 5;
    private static final int MAX_IDS_PER_READ = 500;

    private record Pending(String id, long ackNanos) {}

    /** One load level's latencies (ms) and the events not readable within the timeout. */
    record Latencies(List<Double> millis, int missing) {
        double percentile(double p) {
            if (millis.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = new ArrayList<>(millis);
            sorted.sort(null);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p / 100 * sorted.size()) - 1));
        }
    }

    final String name;
    private final ReadBack readBack;
    private final AtomicLong stored = new AtomicLong();
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();

    Flow(String name, ReadBack readBack) {
        this.name = name;
        this.readBack = readBack;
    }

    long stored() {
        return stored.get();
    }

    void acknowledged(String id, long ackNanos) {
        pending.add(new Pending(id, ackNanos));
    }

    /**
     * Checks the ids acknowledged until {@code done} returns true and then the rest, each until readable or {@code
     * timeoutMs} after its acknowledgement.
     */
    Latencies check(java.util.function.BooleanSupplier done, long timeoutMs) throws Exception {
        Map<String, Long> waiting = new LinkedHashMap<>();
        List<Double> millis = new ArrayList<>();
        int missing = 0;
        while (true) {
            boolean last = done.getAsBoolean();
            for (Pending p; (p = pending.poll()) != null; ) {
                waiting.put(p.id(), p.ackNanos());
            }
            if (last && waiting.isEmpty()) {
                return new Latencies(millis, missing);
            }
            List<String> ids = new ArrayList<>(waiting.keySet());
            for (int from = 0; from < ids.size(); from += MAX_IDS_PER_READ) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_IDS_PER_READ));
                for (Map.Entry<String, Long> seen : readBack.present(chunk).entrySet()) {
                    Long ack = waiting.remove(seen.getKey());
                    if (ack != null) {
                        millis.add((seen.getValue() - ack) / 1e6);
                    }
                }
            }
            long now = System.nanoTime();
            for (Iterator<Long> it = waiting.values().iterator(); it.hasNext(); ) {
                if (now - it.next() > TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                    it.remove();
                    missing++;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MS));
        }
    }

    /** {@code factory} with this flow counting the events each successful write stored. */
    <C> SinkFactory<C> counting(SinkFactory<C> factory) {
        return ObservedWrites.wrap(factory, name, () -> {}, events -> stored.addAndGet(events.size()));
    }

    void close() throws Exception {
        readBack.close();
    }
}
