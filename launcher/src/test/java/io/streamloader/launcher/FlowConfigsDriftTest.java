package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.ConfigProblems;
import io.streamloader.core.config.StreamloaderConfig;
import io.streamloader.core.config.TopicSettings;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.TransformSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * One description of the demo flows: {@code streamloader dev} (dev.yaml), {@code examples/streamloader.yaml} and the
 * compose stack ({@code compose/streamloader.yaml}) run the same sinks (type, topics, filter and every setting but
 * endpoints, credentials and the directory files are mounted from), processors and topics (with their configs, but
 * sizing: partitions, replication, min.insync.replicas). Fails naming the first difference when one of them drifts.
 */
class FlowConfigsDriftTest {
    private static final Path ROOT =
            Path.of(System.getProperty("basedir", ".")).resolve("..").normalize();
    /** Settings that say where a store is and who we are to it: allowed to differ. */
    private static final Set<String> WHERE_AND_WHO = Set.of(
            "urls",
            "username",
            "password",
            "auth-source",
            "connection-string",
            "jdbc.url",
            "jdbc.user",
            "jdbc.password",
            "s3.endpoint",
            "s3.access-key",
            "s3.secret-key");

    private static final Set<String> SIZING = Set.of("min.insync.replicas");

    private static StreamloaderConfig dev() throws IOException {
        try (InputStream in = DevCommand.class.getResourceAsStream("dev.yaml")) {
            assertThat(in).as("dev.yaml on the classpath").isNotNull();
            Map<String, String> env = Map.ofEntries(
                    Map.entry("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                    Map.entry("ADMIN_PORT", "8081"),
                    Map.entry("API_PORT", "8080"),
                    Map.entry("STREAMS_STATE_DIR", "/tmp/streams"),
                    Map.entry("MONGO_ENABLED", "true"),
                    Map.entry("MONGO_URL", "mongodb://localhost:27017"),
                    Map.entry("ELASTICSEARCH_ENABLED", "true"),
                    Map.entry("ELASTICSEARCH_URL", "http://localhost:9200"),
                    Map.entry("ARCHIVE_ENABLED", "true"),
                    Map.entry("POSTGRES_URL", "jdbc:postgresql://localhost:5432/postgres"),
                    Map.entry("S3_ENDPOINT", "http://localhost:9000"),
                    Map.entry("STREAMLOADER_HOME", "/opt/streamloader"));
            return ConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), env);
        }
    }

    private static StreamloaderConfig file(String path, Map<String, String> env) throws IOException {
        return ConfigLoader.parse(Files.readString(ROOT.resolve(path)), env);
    }

    private static StreamloaderConfig examples() throws IOException {
        return file("examples/streamloader.yaml", Map.of());
    }

    private static StreamloaderConfig compose() throws IOException {
        return file(
                "compose/streamloader.yaml",
                Map.of(
                        "STREAMLOADER_API_KEY", "a-key-of-sixteen-chars-or-more",
                        "STREAMLOADER_ADMIN_KEY", "another-key-of-sixteen-chars",
                        "ELASTIC_PASSWORD", "p",
                        "MONGO_PASSWORD", "p",
                        "POSTGRES_PASSWORD", "p",
                        "S3_SECRET_KEY", "p"));
    }

    /** What a flow is, without where its stores are: per sink, its type, topics, filter and settings. */
    static Map<String, String> flows(StreamloaderConfig config) {
        Map<String, String> out = new TreeMap<>();
        for (RunnerSettings sink : config.sinks()) {
            String prefix = "sinks." + sink.name() + ".";
            out.put(prefix + "type", sink.type());
            out.put(prefix + "topics", sink.topics().toString());
            out.put(prefix + "filter", sink.filter().toString());
            for (TransformSpec step : sink.transforms().specs()) {
                out.put(step.keyPath(), step.type() + " " + new TreeMap<>(step.config()));
            }
            sink.sinkConfig().forEach((key, value) -> {
                if (!WHERE_AND_WHO.contains(key)) {
                    out.put(prefix + "config." + key, mountIndependent(value));
                }
            });
        }
        for (TopicSettings topic : config.topics()) {
            Map<String, String> topicConfig = new TreeMap<>(topic.config());
            topicConfig.keySet().removeAll(SIZING);
            out.put("topics." + topic.name(), topicConfig.toString());
        }
        // sources: all but whether one runs (each setup's environment decides) and header values (tokens)
        config.sources().bind(new ConfigProblems()).sections().forEach((name, node) -> {
            for (String key : List.of(
                    "type",
                    "url",
                    "topic",
                    "items",
                    "id-field",
                    "version-field",
                    "interval",
                    "max-requests-per-minute")) {
                out.put("sources." + name + "." + key, node.string(key, ""));
            }
        });
        var processors = config.processors().bind(new ConfigProblems());
        processors.sections().forEach((name, node) -> {
            out.put("processors." + name + ".type", node.string("type", ""));
            out.put("processors." + name + ".input", node.string("input", "clickstream"));
            out.put("processors." + name + ".output", node.string("output", "click_events"));
        });
        return out;
    }

    /** A path as seen from the directory each setup mounts or ships: from "templates/" or the flow's directory on. */
    private static String mountIndependent(String value) {
        for (String anchor : new String[] {"/templates/", "/images/migrations", "/fleet/migrations"}) {
            int at = value.indexOf(anchor);
            if (at >= 0) {
                return "…" + value.substring(at);
            }
        }
        return value;
    }

    @Test
    void devExamplesAndComposeRunTheSameFlows() throws IOException {
        Map<String, String> dev = flows(dev());
        assertThat(flows(examples()))
                .as("examples/streamloader.yaml against dev.yaml")
                .isEqualTo(dev);
        assertThat(flows(compose()))
                .as("compose/streamloader.yaml against dev.yaml")
                .isEqualTo(dev);
    }

    @Test
    void theFlowsAreTheFiveSeeds() throws IOException {
        Map<String, String> dev = flows(dev());
        assertThat(dev)
                .containsEntry("sinks.docs.topics", "[somedata, footdata]")
                .containsEntry("sinks.search.config.timestamp.format", "epoch-seconds")
                .containsEntry(
                        "sinks.clicks.config.positional.fields", "user_id,timestamp,url,country,city,browser,os,device")
                .containsEntry("sinks.rollups.topics", "[click_events]")
                .containsEntry("sinks.images.config.s3.key-template", "{customer_id}/{uuid}")
                .containsEntry("sinks.images.config.id.template", "{uuid}")
                .containsEntry("sinks.fleet.topics", "[events]")
                .containsEntry("processors.clickstream.type", "clickstream-rollup")
                .containsEntry("topics.images", "{max.message.bytes=10485760}")
                .containsEntry("topics.click_events", "{cleanup.policy=compact}")
                .containsEntry("sinks.docs.config.arrays", "split")
                .containsEntry("sinks.docs.config.arrays.id-field", "id")
                .containsEntry("sources.footdata.url", "https://api.football-data.org/v4/matches")
                .containsEntry("sources.footdata.topic", "footdata");
        assertThat(dev.get("sinks.images.transforms[0]")).startsWith("decode ");
        assertThat(dev.get("sinks.fleet.filter")).contains("/vin");
    }

    @Test
    void aDifferenceIsFound() throws IOException {
        Map<String, String> drifted = flows(examples());
        drifted.put("sinks.fleet.filter", "EventFilter[all]");
        assertThat(drifted).isNotEqualTo(flows(dev()));
    }
}
