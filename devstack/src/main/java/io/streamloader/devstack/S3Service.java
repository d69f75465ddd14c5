package io.streamloader.devstack;

/**
 * An S3-compatible endpoint with path-style addressing and fixed credentials: s3proxy on the filesystem by default,
 * real MinIO in containers mode.
 */
public interface S3Service extends DevService {

    /** {@code http://127.0.0.1:<port>}; stable across restarts once started. */
    String endpoint();

    int port();

    default String accessKey() {
        return "minioadmin";
    }

    default String secretKey() {
        return "minioadmin";
    }

    /** The region clients should sign for; both servers accept any, this is the S3 default. */
    default String region() {
        return "us-east-1";
    }
}
