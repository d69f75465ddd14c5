package io.streamloader.sink.postgresminio;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.core.plugin.PluginRegistry;
import io.streamloader.spi.Event;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.testing.TestingOpenSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged plugin directory ({@code target/plugin/postgres-minio}) loaded the way the launcher loads it: its own
 * classloader with the platform loader as parent. Hibernate, Flyway (migrations found inside the jar) and the MinIO
 * client must all work from there.
 */
class PluginLoadingIT {
    private static final Path PLUGINS = Path.of("target", "plugin");
    private static final String UUID = "0b1c2d3e-0000-4000-8000-00000000000a";

    @Test
    void theDirectoryHoldsTheSinkAndItsLibrariesButNotTheHostsOwn() throws Exception {
        try (Stream<Path> jars = Files.list(PLUGINS.resolve("postgres-minio"))) {
            List<String> names =
                    jars.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names)
                    .anyMatch(n -> n.startsWith("streamloader-sink-postgres-minio-"))
                    .anyMatch(n -> n.startsWith("hibernate-core-"))
                    .anyMatch(n -> n.startsWith("flyway-core-"))
                    .anyMatch(n -> n.startsWith("minio-"))
                    .noneMatch(n -> n.startsWith("streamloader-core-"))
                    .noneMatch(n -> n.startsWith("streamloader-spi"))
                    .noneMatch(n -> n.startsWith("slf4j-api-"));
        }
    }

    @Test
    void thePluginStartsMigratesAndWritesFromItsOwnClassloader() throws Exception {
        TestingStores stores = new TestingStores("plugin");
        try (PluginRegistry registry = PluginRegistry.fromDirectory(PLUGINS)) {
            assertThat(registry.problems()).isEmpty();
            var plugin = registry.require("postgres-minio");
            assertThat(plugin.classLoader()).isNotSameAs(getClass().getClassLoader());
            assertThat(plugin.factorySource().getFileName().toString()).startsWith("streamloader-sink-postgres-minio-");
            SinkFactory<?> factory = plugin.factory();
            Map<String, String> config = stores.config(Map.of(
                    "migrations.locations",
                    TestingStores.examples("images"),
                    "s3.key-template",
                    "{customer_id}/{uuid}"));
            try (TestingOpenSink sink = TestingOpenSink.open(factory, new SinkContext("archive", config))) {
                Event json = Event.builder()
                        .id("j1")
                        .topic("events")
                        .partition(0)
                        .offset(1)
                        .timestamp(Instant.now())
                        .value(("{\"timestamp\":1.5,\"vin\":\"V\",\"position_x\":1,\"position_y\":2,\"position_z\":3,"
                                        + "\"speed\":4}")
                                .getBytes(StandardCharsets.UTF_8))
                        .contentType("application/json")
                        .build();
                Event blob = Event.builder()
                        .id("b1")
                        .topic("events")
                        .partition(0)
                        .offset(2)
                        .timestamp(Instant.now())
                        .value(new byte[] {1, 2, 3})
                        .headers(Map.of("meta.customer_id", "9", "meta.uuid", UUID))
                        .contentType("image/png")
                        .build();
                assertThat(sink.write(List.of(json, blob)).isSuccess()).isTrue();
            }
        }
        assertThat(stores.count("select count(*) from events")).isEqualTo(2);
        assertThat(stores.query("select image_address from image_storage"))
                .containsExactly(Map.of("image_address", "9/" + UUID));
        assertThat(stores.object("9/" + UUID)).containsExactly(1, 2, 3);
    }
}
