package io.streamloader.sink.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.streamloader.devstack.DevStack;
import io.streamloader.devstack.MongoService;
import io.streamloader.spi.Event;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.testing.TestingOpenSink;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The directory built at {@code package} works as a plugin on its own: loaded the way the host loads plugins (own
 * classloader over the platform loader, only {@code io.streamloader.spi} and {@code org.slf4j} shared), it finds the
 * factory and stores an event.
 */
class PluginLayoutIT {
    private static final Path PLUGIN = Path.of("target", "plugin", "mongo");

    @Test
    void thePluginDirectoryHoldsTheSinkAndItsLibrariesButNothingTheHostProvides() throws Exception {
        List<String> jars = jars().map(p -> p.getFileName().toString()).toList();
        assertThat(jars)
                .anyMatch(j -> j.startsWith("streamloader-sink-mongo-"))
                .anyMatch(j -> j.startsWith("streamloader-sink-support-"))
                .anyMatch(j -> j.startsWith("mongodb-driver-sync-"))
                .anyMatch(j -> j.startsWith("mongodb-driver-core-"))
                .anyMatch(j -> j.startsWith("bson-"))
                .anyMatch(j -> j.startsWith("jackson-core-"))
                .noneMatch(j -> j.startsWith("streamloader-core"))
                .noneMatch(j -> j.startsWith("streamloader-spi"))
                .noneMatch(j -> j.startsWith("slf4j-api"))
                .noneMatch(j -> j.startsWith("kafka"));
    }

    @Test
    void loadedInIsolationItStoresAnEvent() throws Exception {
        MongoService mongo = DevStack.mongo();
        URL[] urls = jars().map(PluginLayoutIT::url).toArray(URL[]::new);
        ClassLoader host = getClass().getClassLoader();
        try (URLClassLoader plugin = new URLClassLoader("plugin-mongo", urls, new HostSharing(host))) {
            SinkFactory<?> factory = ServiceLoader.load(SinkFactory.class, plugin).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(f -> f.type().equals("mongo"))
                    .findFirst()
                    .orElseThrow();
            assertThat(factory.getClass().getClassLoader()).isSameAs(plugin);
            String database = "plugin_" + Long.toString(System.nanoTime(), 36);
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(plugin);
            try (TestingOpenSink sink = TestingOpenSink.open(
                    factory,
                    new SinkContext(
                            "docs", Map.of("connection-string", mongo.connectionString(), "database", database)))) {
                Event event = Event.builder()
                        .id("p-1")
                        .topic("somedata")
                        .partition(0)
                        .offset(0)
                        .timestamp(Instant.now())
                        .value("{\"0\":\"van\"}".getBytes(StandardCharsets.UTF_8))
                        .build();
                assertThat(sink.write(List.of(event)).isSuccess()).isTrue();
            } finally {
                thread.setContextClassLoader(previous);
            }
            try (MongoClient client = MongoClients.create(mongo.connectionString())) {
                assertThat(client.getDatabase(database)
                                .getCollection("somedata")
                                .countDocuments())
                        .isEqualTo(1);
            }
        }
    }

    private static Stream<Path> jars() throws Exception {
        assertThat(PLUGIN).as("built at package").isDirectory();
        try (Stream<Path> files = Files.list(PLUGIN)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList().stream();
        }
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The platform loader plus the host's SPI and SLF4J, as the host's plugin loader shares them. */
    private static final class HostSharing extends ClassLoader {
        private final ClassLoader host;

        HostSharing(ClassLoader host) {
            super("host-sharing", ClassLoader.getPlatformClassLoader());
            this.host = host;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.streamloader.spi.") || name.startsWith("org.slf4j.")) {
                return host.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
