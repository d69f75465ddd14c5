package io.streamloader.sink.postgresminio;

import java.util.Objects;

/**
 * Where a blob is stored and what it holds.
 *
 * @param bucket the bucket
 * @param key the object key
 * @param size length in bytes
 * @param sha256 lower-case hex SHA-256 of the bytes
 */
public record StoredBlob(String bucket, String key, long size, String sha256) {
    public StoredBlob {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
    }
}
