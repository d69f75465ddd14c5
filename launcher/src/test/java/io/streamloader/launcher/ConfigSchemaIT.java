package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamloader.core.config.ConfigException;
import io.streamloader.core.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The schema of each built-in sink's {@code config:} against the real plugin of the distribution: a setting unknown
 * to the plugin is refused by the schema, and the plugin's list of known settings is the schema's; the distribution
 * ships the schema {@code config schema} prints.
 */
class ConfigSchemaIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBE = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz";
    private static final Path DISTRIBUTION = Path.of("target", "streamloader").toAbsolutePath();
    /** Values the plugins accept for the settings they require. */
    private static final Map<String, String> REQUIRED_VALUES = Map.of(
            "jdbc.url", "jdbc:postgresql://localhost:5432/postgres",
            "s3.endpoint", "http://localhost:9000",
            "s3.access-key", "minioadmin",
            "s3.secret-key", "minioadmin");

    @Test
    void eachBuiltInSinksSettingsAreTheSchemasAndAnUnknownOneIsRefusedByBoth() throws IOException {
        JsonNode defs = JSON.readTree(ConfigCommand.schema()).path("$defs");
        var schema = com.networknt.schema.SchemaRegistry.withDefaultDialect(
                        com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
                .getSchema(ConfigCommand.schema(), com.networknt.schema.InputFormat.JSON);
        for (String type : List.of("elasticsearch", "mongo", "postgres-minio")) {
            JsonNode def = defs.path("sink-" + type);
            Set<String> schemaKeys = new TreeSet<>();
            def.path("properties").fieldNames().forEachRemaining(schemaKeys::add);
            assertThat(schemaKeys).as(type).isNotEmpty();

            ObjectNode root = JSON.createObjectNode();
            root.putObject("plugins").put("dir", DISTRIBUTION.resolve("plugins").toString());
            root.putObject("topics").putObject("t");
            ObjectNode sink = root.putObject("sinks").putObject("s");
            sink.put("type", type).putArray("topics").add("t");
            ObjectNode config = sink.putObject("config");
            def.path("required").forEach(k -> config.put(k.asText(), REQUIRED_VALUES.get(k.asText())));
            assertThat(schema.validate(JSON.writeValueAsString(root), com.networknt.schema.InputFormat.JSON))
                    .as(type + " without the probe")
                    .isEmpty();
            assertThat(problems(JSON.writeValueAsString(root)))
                    .as(type + " without the probe")
                    .isEmpty();

            config.put(PROBE, "1");
            String yaml = JSON.writeValueAsString(root);
            assertThat(schema.validate(yaml, com.networknt.schema.InputFormat.JSON))
                    .as("the schema refuses an unknown " + type + " setting")
                    .isNotEmpty();
            String problem = problems(yaml).stream()
                    .filter(p -> p.startsWith("sinks.s.config." + PROBE + ": "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(type + " accepts an unknown setting"));
            String marker = "known settings are ";
            Set<String> pluginKeys = Arrays.stream(problem.substring(problem.indexOf(marker) + marker.length())
                            .split(","))
                    .map(String::strip)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(pluginKeys)
                    .as(type + ": the plugin's settings are the schema's")
                    .isEqualTo(schemaKeys);
        }
    }

    @Test
    void theDistributionShipsTheSchema() throws IOException {
        assertThat(Files.readString(DISTRIBUTION.resolve("schema").resolve("streamloader.schema.json")))
                .isEqualTo(ConfigCommand.schema());
    }

    private static List<String> problems(String yaml) {
        try (Startup ignored = Startup.validate("probe", ConfigLoader.parse(yaml, Map.of()))) {
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }
}
