package io.streamloader.generator;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;

/**
 * Sends {@code count} requests (or, with {@link Long#MAX_VALUE}, until {@link #stop()}) of a workload from {@code concurrency} platform threads, each sending its next request
 * when it is due and waiting for the full response, like wrk2.
 *
 * <p>At a fixed rate, request {@code seq} is due at {@code start + seq / rate}, and its latency is measured from that
 * <em>intended</em> send time, not from when a thread got round to sending it: a server that stalls makes every
 * request queued behind the stall late, and those waits are part of what a client at that rate would see. Measuring
 * from the actual send instead hides them (coordinated omission). The service time (actual send to response) is
 * recorded too. Without a rate (0) the run is closed-loop: as fast as the threads get answers, latency = service time.
 * Latencies go into HdrHistograms (3 significant digits, one per thread, merged at the end): constant memory however
 * many requests.
 */
final class LoadRun {

    private static final long MAX_PARK_NANOS = 50_000_000;

    /** Sends one request and returns its HTTP status after reading the whole response. */
    @FunctionalInterface
    interface Sender {
        int send(Workload.Request request) throws IOException;
    }

    private final Sender sender;
    private final URI base;
    private final Workload workload;
    private volatile boolean stopped;

    LoadRun(Sender sender, URI base, Workload workload) {
        this.sender = sender;
        this.base = base;
        this.workload = workload;
    }

    /**
     * Ends the current and every later run once the requests in flight are answered: no new request is sent, and
     * {@link #run} returns the summary of what was sent. Safe from any thread (a signal handler).
     */
    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    /**
     * @param count requests to send; {@link Long#MAX_VALUE} = until {@link #stop()}
     * @param rate requests per second, or 0 for as fast as {@code concurrency} allows
     * @param onDone called after each request (progress display); must be cheap and thread-safe
     */
    Summary run(long count, double rate, int concurrency, LongConsumer onDone) throws InterruptedException {
        var next = new AtomicLong();
        var workers = new ArrayList<Worker>(concurrency);
        var threads = new ArrayList<Thread>(concurrency);
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            var worker = new Worker(next, count, rate, start, onDone);
            workers.add(worker);
            threads.add(Thread.ofPlatform().daemon().name("generate-" + t).start(worker));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = processCpuNanos() - cpuBefore;
        var latency = new Histogram(3);
        var service = new Histogram(3);
        var statuses = new TreeMap<Integer, Long>();
        long failed = 0;
        long sent = 0;
        for (Worker w : workers) {
            latency.add(w.latency);
            service.add(w.service);
            w.statuses.forEach((status, n) -> statuses.merge(status, n, Long::sum));
            failed += w.failed;
            sent += w.sent;
        }
        return new Summary(
                sent,
                failed,
                (sent - failed) * workload.eventsPerRequest(),
                seconds,
                rate,
                latency,
                service,
                cpu,
                statuses);
    }

    private final class Worker implements Runnable {
        private final AtomicLong next;
        private final long count;
        private final double rate;
        private final long start;
        private final LongConsumer onDone;
        final Histogram latency = new Histogram(3);
        final Histogram service = new Histogram(3);
        final Map<Integer, Long> statuses = new TreeMap<>();
        long failed;
        long sent;

        Worker(AtomicLong next, long count, double rate, long start, LongConsumer onDone) {
            this.next = next;
            this.count = count;
            this.rate = rate;
            this.start = start;
            this.onDone = onDone;
        }

        @Override
        public void run() {
            long seq;
            while (!stopped && (seq = next.getAndIncrement()) < count) {
                long due = rate > 0 ? start + (long) (seq * 1e9 / rate) : 0;
                if (rate > 0) {
                    // in slices, so that a stop ends a slow run's wait at once
                    for (long wait; !stopped && (wait = due - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(Math.min(wait, MAX_PARK_NANOS));
                    }
                    if (stopped) {
                        break;
                    }
                }
                int status;
                long sentAt = System.nanoTime();
                try {
                    status = sender.send(workload.request(base, seq, ThreadLocalRandom.current()));
                } catch (IOException | RuntimeException e) {
                    status = 0; // no answer: refused, reset, timed out
                }
                long done = System.nanoTime();
                service.recordValue(done - sentAt);
                latency.recordValue(done - (rate > 0 ? due : sentAt));
                statuses.merge(status, 1L, Long::sum);
                sent++;
                if (status < 200 || status > 299) {
                    failed++;
                }
                onDone.accept(seq);
            }
        }
    }

    private static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    /**
     * @param sent requests sent
     * @param failed requests without a 2xx answer (status 0: no answer)
     * @param events events in the successful requests
     * @param seconds wall time of the run
     * @param rate the fixed rate, or 0 for a closed-loop run
     * @param latency nanoseconds from each request's intended send time (its actual one without a rate) to its response
     * @param service nanoseconds from each request's actual send to its response
     * @param cpuNanos CPU time this process spent during the run (all threads: senders, JIT, GC)
     * @param statuses requests per HTTP status
     */
    record Summary(
            long sent,
            long failed,
            long events,
            double seconds,
            double rate,
            Histogram latency,
            Histogram service,
            long cpuNanos,
            Map<Integer, Long> statuses) {

        double requestsPerSecond() {
            return sent / seconds;
        }

        double eventsPerSecond() {
            return events / seconds;
        }

        double cpuMicrosPerRequest() {
            return cpuNanos / 1e3 / Math.max(1, sent);
        }

        /** A latency percentile in milliseconds ({@code 100} is the maximum). */
        static double millis(Histogram h, double percentile) {
            return (percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile)) / 1e6;
        }

        String table() {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(
                    Locale.ROOT,
                    "sent %d, failed %d, %.1f s, %.0f requests/s, %.0f events/s, client CPU %.0f µs/request,"
                            + " statuses %s",
                    sent,
                    failed,
                    seconds,
                    requestsPerSecond(),
                    eventsPerSecond(),
                    cpuMicrosPerRequest(),
                    statuses));
            lines.add(percentiles(
                    rate > 0
                            ? String.format(Locale.ROOT, "latency at %.0f/s (from intended send)", rate)
                            : "latency (closed loop)",
                    latency));
            if (rate > 0) {
                lines.add(percentiles("service time (from actual send)", service));
            }
            return String.join("\n", lines);
        }

        private static String percentiles(String name, Histogram h) {
            return String.format(
                    Locale.ROOT,
                    "%s ms: p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f",
                    name,
                    millis(h, 50),
                    millis(h, 90),
                    millis(h, 99),
                    millis(h, 99.9),
                    millis(h, 100));
        }

        /** One machine-readable line for scripts and the benchmark; latencies (ms) from the intended send time. */
        String line() {
            return String.format(
                    Locale.ROOT,
                    "SUMMARY sent=%d failed=%d events=%d seconds=%.3f rps=%.1f eps=%.1f p50=%.3f p90=%.3f p99=%.3f"
                            + " p999=%.3f max=%.3f serviceP99=%.3f cpuMicrosPerRequest=%.1f",
                    sent,
                    failed,
                    events,
                    seconds,
                    requestsPerSecond(),
                    eventsPerSecond(),
                    millis(latency, 50),
                    millis(latency, 90),
                    millis(latency, 99),
                    millis(latency, 99.9),
                    millis(latency, 100),
                    millis(service, 99),
                    cpuMicrosPerRequest());
        }
    }
}
