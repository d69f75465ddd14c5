package io.streamloader.generator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Sends {@code count} requests of a workload, paced at {@code rate} per second (0: as fast as {@code concurrency}
 * in-flight requests allow), one virtual thread per request, and measures each from send to full response.
 */
final class LoadRun {

    private final HttpClient client;
    private final URI base;
    private final Workload workload;

    LoadRun(HttpClient client, URI base, Workload workload) {
        this.client = client;
        this.base = base;
        this.workload = workload;
    }

    /**
     * @param onDone called after each request (progress display); must be cheap and thread-safe
     */
    Summary run(long count, double rate, int concurrency, Consumer<Long> onDone) throws InterruptedException {
        long[] latencies = new long[Math.toIntExact(count)];
        var statuses = new ConcurrentHashMap<Integer, LongAdder>();
        var failed = new LongAdder();
        var inFlight = new Semaphore(concurrency);
        long start = System.nanoTime();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long seq = 0; seq < count; seq++) {
                if (rate > 0) {
                    long due = start + (long) (seq * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                inFlight.acquire();
                final long s = seq;
                executor.execute(() -> {
                    try {
                        var request = workload.request(base, s, ThreadLocalRandom.current());
                        long t0 = System.nanoTime();
                        int status;
                        try {
                            status = client.send(request, HttpResponse.BodyHandlers.discarding())
                                    .statusCode();
                        } catch (IOException e) {
                            status = 0;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            status = 0;
                        }
                        latencies[(int) s] = System.nanoTime() - t0;
                        statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                        if (status < 200 || status > 299) {
                            failed.increment();
                        }
                    } finally {
                        inFlight.release();
                        onDone.accept(s);
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        var byStatus = new TreeMap<Integer, Long>();
        statuses.forEach((k, v) -> byStatus.put(k, v.sum()));
        long failures = failed.sum();
        return new Summary(
                count,
                failures,
                (count - failures) * workload.eventsPerRequest(),
                seconds,
                percentile(latencies, 0.50),
                percentile(latencies, 0.99),
                byStatus);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    /**
     * @param sent requests sent
     * @param failed requests without a 2xx answer (status 0: no answer)
     * @param events events in the successful requests
     * @param seconds wall time of the run
     * @param p50Millis median latency
     * @param p99Millis 99th percentile latency
     * @param statuses requests per HTTP status
     */
    record Summary(
            long sent,
            long failed,
            long events,
            double seconds,
            double p50Millis,
            double p99Millis,
            Map<Integer, Long> statuses) {

        double requestsPerSecond() {
            return sent / seconds;
        }

        double eventsPerSecond() {
            return events / seconds;
        }

        String table() {
            return String.format(
                    Locale.ROOT,
                    "sent %d, failed %d, %.1f s, %.0f requests/s, %.0f events/s, p50 %.2f ms, p99 %.2f ms, statuses %s",
                    sent,
                    failed,
                    seconds,
                    requestsPerSecond(),
                    eventsPerSecond(),
                    p50Millis,
                    p99Millis,
                    statuses);
        }

        /** One machine-readable line for scripts and the benchmark. */
        String line() {
            return String.format(
                    Locale.ROOT,
                    "SUMMARY sent=%d failed=%d events=%d seconds=%.3f rps=%.1f eps=%.1f p50=%.3f p99=%.3f",
                    sent,
                    failed,
                    events,
                    seconds,
                    requestsPerSecond(),
                    eventsPerSecond(),
                    p50Millis,
                    p99Millis);
        }
    }
}
