package io.streamloader.sink.postgresminio;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

/** {@link EventColumns} and where the event's blob is stored: the columns of a row that has, or may have, a blob. */
@MappedSuperclass
abstract class BlobColumns extends EventColumns {
    @Column(name = "bucket")
    private String bucket;

    @Column(name = "object_key")
    private String objectKey;

    @Column(name = "object_size")
    private Long objectSize;

    @Column(name = "object_sha256")
    private String objectSha256;

    protected BlobColumns() {}

    /** Sets the blob's columns; all four null for {@code null}. */
    void assignBlob(StoredBlob blob) {
        this.bucket = blob == null ? null : blob.bucket();
        this.objectKey = blob == null ? null : blob.key();
        this.objectSize = blob == null ? null : blob.size();
        this.objectSha256 = blob == null ? null : blob.sha256();
    }

    @Override
    boolean hasBlob() {
        return bucket != null;
    }

    @Override
    StoredBlob blob() {
        return bucket == null ? null : new StoredBlob(bucket, objectKey, objectSize, objectSha256);
    }
}
