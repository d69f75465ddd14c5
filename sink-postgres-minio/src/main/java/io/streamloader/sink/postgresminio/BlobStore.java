package io.streamloader.sink.postgresminio;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/** The bucket, through the MinIO client. Thread-safe: PUTs run in parallel from the sink's upload pool. */
final class BlobStore implements AutoCloseable {
    private final MinioClient client;
    private final OkHttpClient http;
    private final String bucket;

    BlobStore(PostgresMinioSinkConfig config) {
        this.bucket = config.bucket();
        this.http = new OkHttpClient.Builder()
                .socketFactory(new NoDelaySocketFactory())
                .connectTimeout(config.s3ConnectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.s3RequestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(config.s3RequestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .connectionPool(new ConnectionPool(config.uploadConcurrency() + 1, 5, TimeUnit.MINUTES))
                .build();
        this.client = MinioClient.builder()
                .endpoint(config.s3Endpoint().toString())
                .credentials(config.s3AccessKey(), config.s3SecretKey().reveal())
                .region(config.s3Region())
                .httpClient(http, true)
                .build();
    }

    String bucket() {
        return bucket;
    }

    /** Creates the bucket unless it exists (another worker may create it at the same moment). */
    void ensureBucket() throws MinioException {
        if (client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            return;
        }
        try {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                throw e;
            }
        }
    }

    /** Checks the bucket is reachable, for readiness. */
    boolean bucketExists() throws MinioException {
        return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
    }

    /** Stores bytes under a key, replacing what is there: a retried PUT of the same event is harmless. */
    void put(String key, byte[] bytes, String contentType) throws MinioException {
        client.putObject(PutObjectArgs.builder()
                .bucket(bucket)
                .object(key)
                .data(bytes, bytes.length)
                .contentType(contentType)
                .build());
    }

    /** Removes an object; removing a missing object succeeds. */
    void remove(String key) throws MinioException {
        client.removeObject(
                RemoveObjectArgs.builder().bucket(bucket).object(key).build());
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
