package io.streamloader.sink.postgres;

import io.minio.errors.MinioException;
import io.streamloader.spi.RetriableSinkException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** PUTs a batch's blobs with bounded parallelism and sorts the failures. */
final class BlobUploader implements AutoCloseable {

    /**
     * Why an event's blob could not be stored.
     *
     * @param permanent whether the server refused it for good (4xx)
     * @param reason the server's answer
     */
    record Failure(boolean permanent, String reason) {}

    private final String sinkName;
    private final BlobStore store;
    private final ExecutorService pool;

    BlobUploader(String sinkName, BlobStore store, int concurrency) {
        this.sinkName = sinkName;
        this.store = store;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "sink-" + sinkName + "-s3-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Stores every blob of the events.
     *
     * @return event id → failure, for events with a blob that was not stored
     * @throws RetriableSinkException when the S3 server is unreachable or times out (the whole batch is retried)
     */
    Map<String, Failure> putAll(Collection<PreparedEvent> events) {
        record Put(PreparedEvent event, Future<?> result) {}
        List<Put> puts = new ArrayList<>();
        for (PreparedEvent event : events) {
            for (PreparedEvent.Blob blob : event.blobs()) {
                puts.add(new Put(event, pool.submit(() -> {
                    store.put(blob.stored().key(), blob.bytes(), blob.contentType());
                    return null;
                })));
            }
        }
        Map<String, Failure> failures = new HashMap<>();
        Throwable unreachable = null;
        for (Put put : puts) {
            try {
                put.result().get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                switch (Triage.s3(cause)) {
                    case UNREACHABLE -> unreachable = cause;
                    case RETRYABLE -> failures.putIfAbsent(put.event().event().id(), new Failure(false, reason(cause)));
                    case PERMANENT -> failures.put(put.event().event().id(), new Failure(true, reason(cause)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableSinkException("sink " + sinkName + ": interrupted while storing blobs", e);
            }
        }
        if (unreachable != null) {
            throw new RetriableSinkException(
                    "S3 unreachable for sink " + sinkName + ": " + reason(unreachable), unreachable);
        }
        return failures;
    }

    void remove(String key) throws MinioException {
        store.remove(key);
    }

    void check() throws MinioException {
        if (!store.bucketExists()) {
            throw new IllegalStateException("bucket " + store.bucket() + " does not exist");
        }
    }

    private static String reason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = t.getMessage() != null ? t.getMessage() : root.toString();
        return t.getCause() != null && t.getCause() != t ? message + " (" + t.getCause() + ")" : message;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        store.close();
    }
}
