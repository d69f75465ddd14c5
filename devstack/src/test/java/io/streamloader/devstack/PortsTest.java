package io.streamloader.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A taken fixed port must fail before anything starts, naming the service and the port. */
class PortsTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> services() {
        return Stream.of(
                Arguments.of("Kafka", (IntFunction<DevService>) port -> new KafkaService(dir.resolve("k"), port)),
                Arguments.of("Elasticsearch", (IntFunction<DevService>) port -> new ElasticsearchService(dir, port)),
                Arguments.of("PostgreSQL", (IntFunction<DevService>) port -> new PostgresService(dir, port)),
                Arguments.of("S3", (IntFunction<DevService>) port -> new LocalS3Service(dir, port)),
                Arguments.of("MongoDB", (IntFunction<DevService>) LocalMongoService::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void aTakenFixedPortIsAnErrorNamingServiceAndPort(String name, IntFunction<DevService> factory) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.HOST))) {
            DevService service = factory.apply(taken.getLocalPort());

            assertThatThrownBy(service::start)
                    .isInstanceOf(DevStackException.class)
                    .hasMessageContaining(name)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("already in use");
            assertThat(service.isRunning()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void stopBeforeStartDoesNothing(String name, IntFunction<DevService> factory) {
        DevService service = factory.apply(0);

        service.stop();

        assertThat(service.isRunning()).isFalse();
    }
}
