package io.streamloader.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.testcontainers.containers.MinIOContainer;

/** Real MinIO in a container, with the same fixed credentials as the local s3proxy. */
final class ContainerS3Service extends ContainerService implements S3Service {

    private static final int S3_PORT = 9000;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ContainerS3Service(String image, int port) {
        super(new MinIOContainer(image).withUserName("minioadmin").withPassword("minioadmin"), S3_PORT, port);
    }

    @Override
    public String name() {
        return "S3 (MinIO container)";
    }

    @Override
    public String endpoint() {
        return "http://" + Ports.HOST + ":" + port();
    }

    @Override
    boolean ready() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/minio/health/live"))
                .timeout(Duration.ofSeconds(2))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
