package io.streamloader.bench.elasticsearch;

import io.streamloader.bench.ChildJvm;
import io.streamloader.bench.KafkaLoop;
import io.streamloader.bench.TimedPipeline;
import io.streamloader.core.pipeline.BatchPolicy;
import io.streamloader.sink.elasticsearch.ElasticsearchSinkFactory;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.http.HttpHost;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;

/**
 * Child-JVM side of {@link ElasticsearchBench}. {@code raw}: NDJSON {@code _bulk} of the benchmark documents straight
 * from memory through the low-level RestClient, {@code batch} documents per request, {@code inFlight} requests at a
 * time. {@code pipeline}: the same documents from Kafka through a SinkRunner into the elasticsearch sink. {@code loop}:
 * the hand-written Kafka → Elasticsearch loop ({@link BulkLoop}) on {@code parallel} threads. All print a RESULT line
 * timed from the first request (or write) to the last acknowledgement.
 */
public final class BulkProbe {
    private static volatile long firstNanos;
    private static volatile long lastNanos;
    /** Events in the timed window when the pipeline left some out (TimedPipeline); -1: all of them. */
    private static volatile long timedRecords = -1;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String url = args[1];
        String index = args[2];
        long count = Long.parseLong(args[3]);
        int size = Integer.parseInt(args[4]);
        int batch = Integer.parseInt(args[5]);
        int parallel = Integer.parseInt(args[6]);
        long bytes = switch (mode) {
            case "raw" -> raw(url, index, count, size, batch, parallel);
            case "loop" -> loop(args[7], args[8], url, index, count, batch, parallel, Integer.parseInt(args[9]));
            default -> pipeline(args[7], args[8], url, index, count, batch, parallel);
        };
        System.out.printf(
                "RESULT records=%d bytes=%d seconds=%.3f rssMib=%d heapMaxMib=%d%n",
                timedRecords < 0 ? count : timedRecords,
                bytes,
                (lastNanos - firstNanos) / 1e9,
                ChildJvm.peakRssMib(),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static long raw(String url, String index, long count, int size, int batch, int inFlight) throws Exception {
        ContentType ndjson = ContentType.create("application/x-ndjson");
        long bytes = 0;
        try (RestClient client = RestClient.builder(HttpHost.create(url)).build()) {
            Deque<CompletableFuture<Response>> pending = new ArrayDeque<>();
            firstNanos = System.nanoTime();
            for (long from = 0; from < count; from += batch) {
                ByteArrayOutputStream body = new ByteArrayOutputStream(batch * (size + 64));
                for (long i = from; i < Math.min(count, from + batch); i++) {
                    byte[] doc = BenchDocs.doc(i, size);
                    bytes += doc.length;
                    body.writeBytes(("{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"" + BenchDocs.id(i) + "\"}}\n")
                            .getBytes(StandardCharsets.UTF_8));
                    body.writeBytes(doc);
                    body.write('\n');
                }
                while (pending.size() >= inFlight) {
                    check(pending.poll().get());
                }
                Request request = new Request("POST", "/_bulk");
                request.addParameter("filter_path", "errors");
                request.setEntity(new NByteArrayEntity(body.toByteArray(), ndjson));
                CompletableFuture<Response> future = new CompletableFuture<>();
                client.performRequestAsync(request, new ResponseListener() {
                    @Override
                    public void onSuccess(Response response) {
                        future.complete(response);
                    }

                    @Override
                    public void onFailure(Exception e) {
                        future.completeExceptionally(e);
                    }
                });
                pending.add(future);
            }
            while (!pending.isEmpty()) {
                check(pending.poll().get());
            }
            lastNanos = System.nanoTime();
        }
        return bytes;
    }

    private static void check(Response response) throws Exception {
        String body = EntityUtils.toString(response.getEntity());
        if (!body.contains("\"errors\":false")) {
            throw new IllegalStateException("bulk request had errors: " + body);
        }
    }

    private static long pipeline(
            String bootstrap, String topic, String url, String index, long count, int batch, int workers)
            throws InterruptedException {
        TimedPipeline.Result result = TimedPipeline.run(
                new ElasticsearchSinkFactory(),
                Map.of(
                        "urls",
                        url,
                        "index",
                        index,
                        "bulk.max-docs",
                        Integer.toString(batch),
                        "bulk.max-bytes",
                        "64MiB"),
                bootstrap,
                topic,
                workers,
                // a pipeline batch spans bulk.max-in-flight (2) bulk requests, so each worker keeps two in flight
                // like the raw client instead of alternating between consuming and waiting for one bulk
                new BatchPolicy(batch * 2, 128L << 20, Duration.ofMillis(100)),
                count);
        firstNanos = result.firstNanos();
        lastNanos = result.lastNanos();
        timedRecords = result.events();
        return result.bytes();
    }

    private static long loop(
            String bootstrap,
            String topic,
            String url,
            String index,
            long count,
            int batch,
            int threads,
            int partitions)
            throws Exception {
        KafkaLoop.Result result =
                KafkaLoop.run(bootstrap, topic, partitions, threads, batch, count, () -> new BulkLoop(url, index));
        firstNanos = result.firstNanos();
        lastNanos = result.lastNanos();
        timedRecords = result.events();
        return result.bytes();
    }
}
