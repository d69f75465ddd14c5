package io.streamloader.devstack;

import org.testcontainers.DockerClientFactory;

/**
 * Containers mode ({@code -Dstreamloader.services=containers}): S3 and MongoDB from real MinIO and mongod images.
 * Only this class touches Testcontainers, so local mode never loads it. Testcontainers is a provided dependency of
 * devstack (the distribution's dev stack does not ship it): a Maven build run with the property puts it on the test
 * classpath (the parent POM's {@code containers} profile). Images can be overridden with
 * {@code streamloader.devstack.minio.image} and {@code streamloader.devstack.mongo.image}.
 */
final class Containers {

    static final String MINIO_IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";
    static final String MONGO_IMAGE = "mongo:8.0";

    private Containers() {}

    static S3Service s3(int port) {
        requireDocker("S3");
        return new ContainerS3Service(System.getProperty("streamloader.devstack.minio.image", MINIO_IMAGE), port);
    }

    static MongoService mongo(int port) {
        requireDocker("MongoDB");
        return new ContainerMongoService(System.getProperty("streamloader.devstack.mongo.image", MONGO_IMAGE), port);
    }

    private static void requireDocker(String service) {
        requireTestcontainers(service);
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new DevStackException(
                    service + ": -D" + DevStack.SERVICES_PROPERTY + "=containers needs Docker, but no"
                            + " Docker environment is available (see Testcontainers' log above). Start Docker, or drop the"
                            + " property to use the local services.");
        }
    }

    /** Without Testcontainers on the classpath, say how to get it instead of a NoClassDefFoundError. */
    static void requireTestcontainers(String service) {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, Containers.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new DevStackException(
                    service + ": -D" + DevStack.SERVICES_PROPERTY + "=containers needs Testcontainers"
                            + " (org.testcontainers:testcontainers-minio and -mongodb) on the classpath, and it is not"
                            + " there. In a Maven build, pass the property to Maven itself (its 'containers' profile"
                            + " adds them to the tests); `streamloader dev` runs local services only.",
                    e);
        }
    }
}
