package io.streamloader.bench.api;

import io.streamloader.bench.JsonPayloads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * A lean load client for {@link ApiBench}, in its own JVM, built like wrk: {@code concurrency} platform threads, each
 * POSTing back to back over a pooled keep-alive connection (Apache HttpClient, blocking) pre-built 1 KB click events,
 * one JSON object or an array of {@code perRequest}. It spends about a fifth of the CPU per request of the {@code
 * generate} command's {@code java.net.http} client (measured: 49 vs 251 µs), CPU that the API and the broker share
 * with it on a small machine. Warms up with up to 10,000 requests, then measures each request from send to full
 * response and prints a RESULT line with rates, p50/p99 and its own CPU time for the measured part. An optional sixth
 * argument is an API key, sent as {@code Authorization: Bearer} on every request.
 */
public final class HttpLoadProbe {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long count = Long.parseLong(args[1]);
        int perRequest = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        int eventBytes = Integer.parseInt(args[4]);
        String bearer = args.length > 5 ? "Bearer " + args[5] : null;

        byte[][] events = JsonPayloads.clicks(1000, eventBytes);
        byte[][] bodies = new byte[100][];
        for (int b = 0; b < bodies.length; b++) {
            bodies[b] = perRequest == 1 ? events[b] : array(events, b * perRequest, perRequest);
        }
        CloseableHttpClient client = HttpClients.custom()
                .setMaxConnTotal(concurrency)
                .setMaxConnPerRoute(concurrency)
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableCookieManagement()
                .build();
        long warmup = Math.min(count, 10_000); // JIT and connections; counted in `total` for the API's CPU per request
        load(client, url, bearer, bodies, warmup, concurrency, perRequest, 0);
        load(client, url, bearer, bodies, count, concurrency, perRequest, warmup + count);
        client.close();
    }

    private static void load(
            CloseableHttpClient client,
            String url,
            String bearer,
            byte[][] bodies,
            long count,
            int concurrency,
            int perRequest,
            long total)
            throws InterruptedException {
        long[] latencies = new long[Math.toIntExact(count)];
        AtomicLong next = new AtomicLong();
        LongAdder failed = new LongAdder();
        CountDownLatch done = new CountDownLatch(concurrency);
        long cpuBefore = cpuNanos();
        long start = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            Thread.ofPlatform().name("load-" + t).start(() -> {
                try {
                    long seq;
                    while ((seq = next.getAndIncrement()) < count) {
                        HttpPost post = new HttpPost(url);
                        if (bearer != null) {
                            post.setHeader("Authorization", bearer);
                        }
                        post.setEntity(
                                new ByteArrayEntity(bodies[(int) (seq % bodies.length)], ContentType.APPLICATION_JSON));
                        long t0 = System.nanoTime();
                        try (CloseableHttpResponse response = client.execute(post)) {
                            EntityUtils.consume(response.getEntity());
                            if (response.getStatusLine().getStatusCode() / 100 != 2) {
                                failed.increment();
                            }
                        } catch (IOException e) {
                            failed.increment();
                        }
                        latencies[(int) seq] = System.nanoTime() - t0;
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = cpuNanos() - cpuBefore;
        Arrays.sort(latencies);
        long events = (count - failed.sum()) * perRequest;
        if (total == 0) {
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "RESULT sent=%d failed=%d events=%d seconds=%.3f rps=%.1f eps=%.1f p50=%.3f p99=%.3f clientCpuNanos=%d"
                        + " totalRequests=%d%n",
                count,
                failed.sum(),
                events,
                seconds,
                count / seconds,
                events / seconds,
                latencies[(int) (count / 2)] / 1e6,
                latencies[(int) Math.min(count - 1, Math.ceil(count * 0.99) - 1)] / 1e6,
                cpu,
                total);
    }

    private static byte[] array(byte[][] events, int from, int n) {
        StringBuilder sb = new StringBuilder(n * (events[0].length + 1) + 2).append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(new String(events[(from + i) % events.length], StandardCharsets.UTF_8));
        }
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
