package io.streamloader.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.core.plugin.PluginRegistry;
import io.streamloader.devstack.DevStack;
import io.streamloader.spi.Event;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.testing.TestingOpenSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packaged plugin directory loads through the host's plugin path (own classloader) and writes documents. */
class PluginLayoutIT {
    private static final Path PLUGINS = Path.of("target/plugin");

    @Test
    void pluginDirectoryHoldsTheSinkAndItsLibrariesButNotTheHostsClasses() throws Exception {
        try (Stream<Path> jars = Files.list(PLUGINS.resolve("elasticsearch"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertThat(names)
                    .anyMatch(n -> n.startsWith("streamloader-sink-elasticsearch-"))
                    .anyMatch(n -> n.startsWith("streamloader-sink-support-"))
                    .anyMatch(n -> n.startsWith("elasticsearch-java-8.19."))
                    .anyMatch(n -> n.startsWith("jcl-over-slf4j-"))
                    .noneMatch(n -> n.startsWith("streamloader-core-"))
                    .noneMatch(n -> n.startsWith("streamloader-spi"))
                    .noneMatch(n -> n.startsWith("slf4j-api-"))
                    .noneMatch(n -> n.startsWith("commons-logging-"));
        }
    }

    @Test
    void loadedFromThePluginDirectoryItIndexesDocuments() throws Exception {
        String url = DevStack.elasticsearch().url();
        String index = "plugin-layout-" + System.nanoTime();
        try (PluginRegistry registry = PluginRegistry.fromDirectory(PLUGINS)) {
            assertThat(registry.problems()).isEmpty();
            SinkFactory<?> factory = registry.factory("elasticsearch");
            try (TestingOpenSink sink =
                    TestingOpenSink.open(factory, new SinkContext("search", Map.of("urls", url, "index", index)))) {
                List<Event> events = TestingEvents.events(10);
                assertThat(sink.write(events).isSuccess()).isTrue();
            }
        }
        assertThat(new TestingElasticsearch(url).count(index)).isEqualTo(10);
    }
}
