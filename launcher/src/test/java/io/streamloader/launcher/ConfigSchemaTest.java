package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.streamloader.core.config.ConfigException;
import io.streamloader.core.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON Schema of streamloader.yaml against the code and every shipped config: a real validator (networknt) checks
 * every YAML file and documentation block, and every closed section of the schema is probed with a key the code does
 * not know, which both must refuse, and whose "known keys" message from the code must list exactly the schema's keys.
 */
class ConfigSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    /** Far from every real key, so the code lists its known keys instead of suggesting one. */
    private static final String PROBE = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz";
    /** What a map entry needs before its own keys are bound: a sink's type and topics, a processor's type. */
    private static final Map<String, String> SEEDS = Map.of(
            "sinks.x", "{\"type\": \"echo\", \"topics\": [\"t\"]}",
            "processors.x", "{\"type\": \"clickstream-rollup\"}");

    @TempDir
    Path dir;

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static JsonNode schemaTree() throws IOException {
        return JSON.readTree(ConfigCommand.schema());
    }

    private static Schema schema() throws IOException {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(ConfigCommand.schema(), InputFormat.JSON);
    }

    private static List<String> errors(Schema schema, String yaml) throws IOException {
        String json = JSON.writeValueAsString(YAML.readTree(yaml));
        return schema.validate(json, InputFormat.JSON).stream()
                .map(e -> e.getInstanceLocation() + " " + e.getMessage())
                .toList();
    }

    @Test
    void theSchemaIsAValidDraft2020Schema() throws IOException {
        Schema meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(meta.validate(ConfigCommand.schema(), InputFormat.JSON)).isEmpty();
        assertThat(meta.validate("{\"type\": 12}", InputFormat.JSON))
                .as("the meta-schema check can fail")
                .isNotEmpty();
    }

    /** Every config file and every YAML block of the documentation that the project ships. */
    static Map<String, String> shippedConfigs() throws IOException {
        Map<String, String> configs = new LinkedHashMap<>();
        for (String file : List.of("examples/streamloader.yaml", "compose/streamloader.yaml")) {
            configs.put(file, Files.readString(ROOT.resolve(file)));
        }
        configs.put(
                "launcher dev.yaml",
                new String(
                        DevCommand.class.getResourceAsStream("dev.yaml").readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));
        for (String doc : List.of(
                "README.md",
                "docs/configuration.md",
                "docs/transforms.md",
                "docs/security.md",
                "docs/write-your-own-sink.md",
                "producer-api/README.md",
                "rollup/README.md",
                "sink-mongo/README.md",
                "compose/README.md")) {
            Matcher blocks = YAML_BLOCK.matcher(Files.readString(ROOT.resolve(doc)));
            for (int i = 1; blocks.find(); i++) {
                configs.put(doc + " yaml block " + i, blocks.group(1));
            }
        }
        return configs;
    }

    @Test
    void everyShippedConfigAndDocumentedBlockMatchesTheSchema() throws IOException {
        Schema schema = schema();
        Map<String, String> configs = shippedConfigs();
        assertThat(configs).hasSizeGreaterThanOrEqualTo(13);
        Map<String, List<String>> failures = new LinkedHashMap<>();
        for (var config : configs.entrySet()) {
            List<String> errors = errors(schema, config.getValue());
            if (!errors.isEmpty()) {
                failures.put(config.getKey(), errors);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void valuesOfTheWrongShapeAreRefusedAndVariablesAreAcceptedAnywhere() throws IOException {
        Schema schema = schema();
        assertThat(errors(schema, "sinks: {s: {type: mongo, topics: [t], workers: lots}}"))
                .isNotEmpty()
                .allMatch(e -> e.startsWith("/sinks/s/workers "));
        assertThat(errors(schema, "sinks: {s: {type: mongo, topics: [t], on-failure: reboot}}"))
                .isNotEmpty();
        assertThat(errors(schema, "sinks: {s: {type: mongo, topics: [t], batch: {max-linger: soon}}}"))
                .isNotEmpty();
        assertThat(errors(schema, "sinks: {s: {topics: [t]}}"))
                .as("type is required")
                .isNotEmpty();
        assertThat(errors(schema, """
                        sinks: {s: {type: mongo, topics: [t], workers: "${W:-2}", enabled: "${E}",
                          batch: {max-bytes: 8MiB, max-linger: 200ms}, retry: {jitter: 0.5}}}
                        admin: {port: 8081, health-cache: PT1S}
                        """)).isEmpty();
    }

    /** A closed mapping of the schema: its key path (map entries as {@code x}) and the keys it allows. */
    private record Section(String path, Set<String> keys) {}

    private static void closedSections(JsonNode root, JsonNode node, String path, List<Section> out) {
        if (node.has("$ref")) {
            node = root.at(node.get("$ref").asText().substring(1));
        }
        if (!"object".equals(node.path("type").asText())) {
            return;
        }
        JsonNode additional = node.path("additionalProperties");
        if (additional.isBoolean() && !additional.asBoolean()) {
            Set<String> keys = new TreeSet<>();
            node.path("properties").fieldNames().forEachRemaining(keys::add);
            out.add(new Section(path, keys));
            for (String key : keys) {
                closedSections(root, node.path("properties").get(key), join(path, key), out);
            }
        } else if (additional.isObject()) {
            closedSections(root, additional, join(path, "x"), out);
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** A config with {@code PROBE} added at {@code path}, seeded so that the code binds that section. */
    private String probeConfig(String path, boolean withProbe) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("plugins").put("dir", dir.toString());
        ObjectNode node = root;
        String prefix = "";
        for (String key : path.isEmpty() ? new String[0] : path.split("\\.")) {
            prefix = join(prefix, key);
            node = node.has(key) ? (ObjectNode) node.get(key) : node.putObject(key);
            if (SEEDS.containsKey(prefix)) {
                node.setAll((ObjectNode) JSON.readTree(SEEDS.get(prefix)));
            }
        }
        if (withProbe) {
            node.put(PROBE, "1");
        }
        return JSON.writeValueAsString(root);
    }

    /** Every problem the code finds in {@code yaml}: the file's own, then the api's and the processors'. */
    private static List<String> codeProblems(String yaml) {
        try (Startup ignored = Startup.validate("probe", ConfigLoader.parse(yaml, Map.of()))) {
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    @Test
    void aKeyUnknownToTheCodeIsRefusedByTheSchemaAndEachSectionHasTheCodesKeys() throws IOException {
        Schema schema = schema();
        List<Section> sections = new ArrayList<>();
        closedSections(schemaTree(), schemaTree(), "", sections);
        assertThat(sections).extracting(Section::path).contains("", "kafka.security", "sinks.x.retry", "api.limits");
        List<String> disagreements = new ArrayList<>();
        for (Section section : sections) {
            assertThat(errors(schema, probeConfig(section.path(), false)))
                    .as("the seeded config without the probe, at " + section.path())
                    .isEmpty();
            String yaml = probeConfig(section.path(), true);
            assertThat(errors(schema, yaml))
                    .as("the schema refuses an unknown key at " + section.path())
                    .isNotEmpty()
                    .allMatch(e -> e.contains(PROBE));
            String probePath = join(section.path(), PROBE);
            String problem = codeProblems(yaml).stream()
                    .filter(p -> p.startsWith(probePath + ": "))
                    .findFirst()
                    .orElse(null);
            if (problem == null) {
                fail("the code accepts an unknown key at %s: %s", section.path(), codeProblems(yaml));
            }
            Set<String> codeKeys = knownKeys(problem);
            if (!codeKeys.equals(section.keys())) {
                disagreements.add(section.path() + ": code " + codeKeys + ", schema " + section.keys());
            }
        }
        assertThat(disagreements).isEmpty();
    }

    private static Set<String> knownKeys(String problem) {
        String marker = "known keys here: ";
        int at = problem.indexOf(marker);
        if (at < 0) {
            return problem.contains("takes no keys") ? Set.of() : Set.of("(unparsed: " + problem + ")");
        }
        return Arrays.stream(problem.substring(at + marker.length()).split(","))
                .map(String::strip)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
