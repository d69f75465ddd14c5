package io.streamloader.bench.postgres;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.streamloader.bench.OpenedSink;
import io.streamloader.sink.postgresminio.NoDelaySocketFactory;
import io.streamloader.spi.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.OkHttpClient;

/**
 * Binary events ({@code --blob-size} each): raw MinIO-client PUTs of the objects, on one thread and on {@code
 * --concurrency}, over the sink's own {@code TCP_NODELAY} sockets, against {@code Sink.write} (PUT then row).
 */
final class BlobRows {
    private BlobRows() {}

    static double rawPuts(PostgresRun run, String bucket, int threads) throws Exception {
        int blobs = run.options.blobs;
        MinioClient client = MinioClient.builder()
                .endpoint(run.s3.endpoint())
                .credentials(run.s3.accessKey(), run.s3.secretKey())
                .httpClient(new OkHttpClient.Builder()
                        .socketFactory(new NoDelaySocketFactory())
                        .build())
                .build();
        String name = bucket + "-raw" + threads;
        if (!client.bucketExists(BucketExistsArgs.builder().bucket(name).build())) {
            client.makeBucket(MakeBucketArgs.builder().bucket(name).build());
        }
        byte[][] payloads = payloads(run.options.blobSize);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < blobs; i++) {
                int n = i;
                puts.add(pool.submit(() -> {
                    byte[] bytes = payloads[n % payloads.length];
                    client.putObject(PutObjectArgs.builder()
                            .bucket(name)
                            .object("bench/b-" + n)
                            .data(bytes, bytes.length)
                            .contentType("application/octet-stream")
                            .build());
                    return null;
                }));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }
        return run.row(
                "raw MinIO PUT, " + threads + " thread" + (threads == 1 ? "" : "s"),
                blobs,
                run.options.blobSize,
                started,
                -1);
    }

    static double sink(PostgresRun run, OpenedSink sink) {
        int blobs = run.options.blobs;
        int blobSize = run.options.blobSize;
        byte[][] payloads = payloads(blobSize);
        int perBatch = Math.max(1, Math.min(run.options.batch, (8 << 20) / blobSize));
        List<List<Event>> batches = new ArrayList<>();
        for (int from = 0; from < blobs; from += perBatch) {
            List<Event> events = new ArrayList<>(perBatch);
            for (int i = from; i < Math.min(blobs, from + perBatch); i++) {
                events.add(Event.builder()
                        .id("b-" + i)
                        .topic("bench")
                        .partition(0)
                        .offset(i)
                        .timestamp(Instant.now())
                        .value(payloads[i % payloads.length])
                        .contentType("application/octet-stream")
                        .build());
            }
            batches.add(events);
        }
        long started = System.nanoTime();
        for (List<Event> events : batches) {
            if (!sink.write(events).isSuccess()) {
                throw new IllegalStateException("sink refused events");
            }
        }
        return run.row(
                "sink, binary (PUT then row), " + run.options.concurrency + " PUT threads",
                blobs,
                blobSize,
                started,
                -1);
    }

    private static byte[][] payloads(int blobSize) {
        Random random = new Random(7);
        byte[][] out = new byte[16][blobSize];
        for (byte[] b : out) {
            random.nextBytes(b);
        }
        return out;
    }
}
