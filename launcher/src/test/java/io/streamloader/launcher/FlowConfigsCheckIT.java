package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.StreamloaderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code config check} on the flow files the project ships, with the distribution's real plugins (every sink's and
 * transform's own validation, template and migration directories read): examples/streamloader.yaml as its header says
 * to run it from the repository root, and compose/streamloader.yaml with the environment compose passes and the
 * directories compose mounts. dev.yaml gets the same check by running in SeedFlowsIT.
 */
class FlowConfigsCheckIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path PLUGINS =
            Path.of("target", "streamloader", "plugins").toAbsolutePath();

    @Test
    void theExamplesFilePassesConfigCheck() throws IOException {
        String yaml = Files.readString(ROOT.resolve("examples/streamloader.yaml"));
        StreamloaderConfig config = ConfigLoader.parse(
                yaml + "\nplugins:\n  dir: " + PLUGINS + "\n",
                Map.of(
                        "TEMPLATES_DIR",
                                ROOT.resolve("sink-elasticsearch/templates").toString(),
                        "EXAMPLES_DIR",
                                ROOT.resolve("sink-postgres-minio/examples").toString()));
        check("examples/streamloader.yaml", config, 6);
    }

    @Test
    void theComposeFilePassesConfigCheckWithWhatComposeMounts() throws IOException {
        String yaml = Files.readString(ROOT.resolve("compose/streamloader.yaml"))
                // compose.yaml's volumes of the streamloader service
                .replace(
                        "/etc/streamloader/elasticsearch/templates",
                        ROOT.resolve("sink-elasticsearch/templates").toString())
                .replace(
                        "/etc/streamloader/postgres-minio",
                        ROOT.resolve("sink-postgres-minio/examples").toString())
                .replace("dir: plugins ", "dir: " + PLUGINS + " ");
        assertThat(yaml).contains("dir: " + PLUGINS);
        StreamloaderConfig config = ConfigLoader.parse(
                yaml,
                Map.of(
                        "STREAMLOADER_API_KEY", "a-key-of-sixteen-chars-or-more",
                        "STREAMLOADER_ADMIN_KEY", "another-key-of-sixteen-chars",
                        "ELASTIC_PASSWORD", "p",
                        "MONGO_PASSWORD", "p",
                        "POSTGRES_PASSWORD", "p",
                        "S3_SECRET_KEY", "p"));
        check("compose/streamloader.yaml", config, 6);
    }

    private static void check(String source, StreamloaderConfig config, int sinks) {
        assertThat(config.sinks()).hasSize(sinks);
        try (Startup startup = Startup.validate(source, config)) {
            assertThat(startup.sinks().keySet())
                    .containsExactlyInAnyOrderElementsOf(
                            config.sinks().stream().map(s -> s.name()).toList());
        }
    }
}
