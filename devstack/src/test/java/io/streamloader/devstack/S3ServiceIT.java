package io.streamloader.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@DevStackTest
class S3ServiceIT {

    @Test
    void createsABucketAndPutsAndGetsAnObject(S3Service s3) throws Exception {
        MinioClient client = client(s3);
        String bucket = "round-trip-" + UUID.randomUUID();
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());

        put(client, bucket, "a/b.json", "{\"n\":1}");

        assertThat(get(client, bucket, "a/b.json")).isEqualTo("{\"n\":1}");
    }

    @Test
    void keepsObjectsAcrossARestartOnTheSamePort(S3Service s3) throws Exception {
        String bucket = "restart-" + UUID.randomUUID();
        client(s3).makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        put(client(s3), bucket, "kept", "still here");
        String endpoint = s3.endpoint();

        s3.stop();
        assertThat(s3.isRunning()).isFalse();
        s3.stop();
        s3.start();

        assertThat(s3.endpoint()).isEqualTo(endpoint);
        MinioClient client = client(s3);
        assertThat(client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()))
                .isTrue();
        assertThat(get(client, bucket, "kept")).isEqualTo("still here");
    }

    private static MinioClient client(S3Service s3) {
        return MinioClient.builder()
                .endpoint(s3.endpoint())
                .region(s3.region())
                .credentials(s3.accessKey(), s3.secretKey())
                .build();
    }

    private static void put(MinioClient client, String bucket, String key, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        client.putObject(PutObjectArgs.builder()
                .bucket(bucket)
                .object(key)
                .data(bytes, bytes.length)
                .contentType("application/json")
                .build());
    }

    private static String get(MinioClient client, String bucket, String key) throws Exception {
        try (InputStream in = client.getObject(
                GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
