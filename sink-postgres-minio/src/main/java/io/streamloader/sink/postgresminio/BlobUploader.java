package io.streamloader.sink.postgresminio;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.streamloader.spi.FatalSinkException;
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
     * @param permanent whether it was refused for good (a 4xx, or the client refused to send it)
     * @param reason the server's answer or the client's error, with its S3 code or exception class
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
     * @throws FatalSinkException when S3 refuses the credentials or the bucket is gone
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
        Throwable fatal = null;
        int denied = 0;
        for (Put put : puts) {
            try {
                put.result().get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                String id = put.event().event().id();
                switch (PostgresMinioTriage.s3(cause)) {
                    case UNAVAILABLE -> unreachable = cause;
                    case FATAL -> fatal = cause;
                    case RETRIABLE -> failures.putIfAbsent(id, new Failure(false, reason(cause)));
                    case PERMANENT -> {
                        failures.put(id, new Failure(true, reason(cause)));
                        denied += accessDenied(cause) ? 1 : 0;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableSinkException("sink " + sinkName + ": interrupted while storing blobs", e);
            }
        }
        if (fatal != null) {
            throw new FatalSinkException(
                    "sink " + sinkName + ": S3 refused the credentials or bucket " + store.bucket() + ": "
                            + reason(fatal),
                    fatal);
        }
        if (unreachable != null) {
            throw new RetriableSinkException(
                    "S3 unreachable for sink " + sinkName + ": " + reason(unreachable), unreachable);
        }
        if (denied > 0 && denied == puts.size()) {
            checkNotDeniedEverywhere();
        }
        return failures;
    }

    /**
     * Every PUT of the batch was denied: a policy on some keys, or credentials allowed nothing. The second stops the
     * runner instead of dead-lettering every blob; told apart by asking for the bucket, which a key policy allows.
     */
    private void checkNotDeniedEverywhere() {
        try {
            store.bucketExists();
        } catch (MinioException e) {
            if (accessDenied(e)) {
                throw new FatalSinkException(
                        "sink " + sinkName + ": S3 denies access to bucket " + store.bucket() + ": " + reason(e), e);
            }
        } catch (RuntimeException e) {
            // could not tell: the PUTs' own failures stand
        }
    }

    private static boolean accessDenied(Throwable t) {
        return t instanceof ErrorResponseException e
                && e.errorResponse() != null
                && "AccessDenied".equals(e.errorResponse().code());
    }

    void remove(String key) throws MinioException {
        store.remove(key);
    }

    void check() throws MinioException {
        if (!store.bucketExists()) {
            throw new IllegalStateException("bucket " + store.bucket() + " does not exist");
        }
    }

    static String reason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = t.getMessage() != null ? t.getMessage() : root.toString();
        String kind = t instanceof ErrorResponseException e && e.errorResponse() != null
                ? "S3 " + e.errorResponse().code()
                : t.getClass().getSimpleName();
        String detail = t.getCause() != null && t.getCause() != t ? message + " (" + t.getCause() + ")" : message;
        return kind + ": " + detail;
    }

    /** Stops this writer's upload threads; the store (shared by the runner's writers) stays open. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
