package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.streamloader.api.ApiConfig;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.StreamloaderConfig;
import io.streamloader.core.pipeline.RunnerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The compose stack's files are consistent without starting Docker: {@code compose/compose.yaml} is well formed for
 * what we rely on, and {@code compose/streamloader.yaml} passes config validation with the environment compose gives
 * the streamloader container and points only at services of the stack.
 *
 * <p>Parsed with SnakeYAML (Jackson's YAML parser underneath) rather than Jackson's tree model, because Jackson does
 * not expand the {@code <<: *anchor} merge keys the file uses and Compose does.
 */
class ComposeFileTest {
    private static final Path DIR =
            Path.of(System.getProperty("basedir", ".")).resolve("../compose").normalize();
    /** Compose's own interpolation: {@code ${VAR}}, {@code ${VAR:-default}}; {@code $$} is a literal {@code $}. */
    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("(?<!\\$)\\$\\{(\\w+)(?::?([-?+])([^}]*))?}");
    /** host:port in a bootstrap list or a URL ({@code //host:port}, {@code user@host:port}). */
    private static final Pattern HOST_PORT = Pattern.compile("(?:^|[/@,])([A-Za-z0-9][A-Za-z0-9.-]*):(\\d{2,5})\\b");

    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void parse() throws IOException {
        compose = map(
                new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(DIR.resolve("compose.yaml"))));
        services = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
    }

    @Test
    void everyServiceHasAnImageAndLongRunningOnesAHealthCheck() {
        assertThat(services)
                .containsKeys(
                        "kafka-1",
                        "kafka-2",
                        "kafka-3",
                        "elasticsearch",
                        "mongo",
                        "postgres",
                        "s3",
                        "streamloader",
                        "kafka-ui",
                        "kibana-setup",
                        "kibana",
                        "mongo-express",
                        "s3-console");
        services.forEach((name, service) -> {
            assertThat(service.containsKey("image") || service.containsKey("build"))
                    .as("%s has an image or a build", name)
                    .isTrue();
            if (isJob(service)) {
                assertThat(dependents(name, "service_completed_successfully"))
                        .as("one-shot job %s is awaited by someone", name)
                        .isNotEmpty();
            } else {
                assertThat(map(service.get("healthcheck")))
                        .as("health check of %s", name)
                        .containsKey("test");
                assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped");
            }
        });
    }

    @Test
    void dependenciesExistAndAreAwaitedTheWayTheyCanBe() {
        services.forEach((name, service) -> dependsOn(service).forEach((target, condition) -> {
            assertThat(services.keySet()).as("%s depends on %s", name, target).contains(target);
            if (condition.equals("service_healthy")) {
                assertThat(services.get(target))
                        .as("%s awaits %s healthy", name, target)
                        .containsKey("healthcheck");
            }
        }));
        assertThat(dependsOn(services.get("streamloader")))
                .containsEntry("kafka-init", "service_completed_successfully")
                .containsEntry("elasticsearch", "service_healthy")
                .containsEntry("mongo", "service_healthy")
                .containsEntry("postgres", "service_healthy")
                .containsEntry("s3", "service_healthy");
    }

    @Test
    void namedVolumesAreDeclaredAndUsedAndHostPortsAreDistinct() {
        Set<String> declared = map(compose.get("volumes")).keySet();
        Set<String> used = new HashSet<>();
        List<String> hostPorts = new ArrayList<>();
        services.forEach((name, service) -> {
            for (Object volume : list(service.get("volumes"))) {
                String source = String.valueOf(volume).split(":", 2)[0];
                if (!source.startsWith(".") && !source.startsWith("/") && !source.startsWith("~")) {
                    assertThat(declared).as("volume %s of %s", source, name).contains(source);
                    used.add(source);
                } else {
                    assertThat(DIR.resolve(source)).as("bind mount of %s", name).exists();
                }
            }
            list(service.get("ports")).forEach(p -> hostPorts.add(hostPort(p)));
        });
        assertThat(used).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(hostPorts).doesNotHaveDuplicates();
    }

    @Test
    void kafkaIsAThreeNodeKraftClusterWithThreeReplicasAndTwoInSync() {
        Map<String, Map<String, String>> brokers = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            Map<String, String> env = environment(service);
            if (String.valueOf(service.get("image")).startsWith("apache/kafka:") && env.containsKey("KAFKA_NODE_ID")) {
                brokers.put(name, env);
                assertThat(String.valueOf(service.get("image"))).startsWith("apache/kafka:4.");
            }
        });
        assertThat(brokers).containsOnlyKeys("kafka-1", "kafka-2", "kafka-3");
        String voters = "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093";
        Set<String> nodeIds = new TreeSet<>();
        Set<String> clusterIds = new HashSet<>();
        brokers.forEach((name, env) -> {
            assertThat(env)
                    .as(name)
                    .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                    .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", voters)
                    .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
                    .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
                    .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
                    .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
            assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).contains("INTERNAL://" + name + ":9092");
            nodeIds.add(env.get("KAFKA_NODE_ID"));
            clusterIds.add(env.get("CLUSTER_ID"));
        });
        assertThat(nodeIds).containsExactly("1", "2", "3");
        assertThat(clusterIds).singleElement().asString().matches("[A-Za-z0-9_-]{22}");
    }

    @Test
    void streamloaderYamlIsValidWithTheEnvironmentComposeGivesTheContainer() throws IOException {
        Map<String, Object> service = services.get("streamloader");
        assertThat(list(service.get("volumes"))).contains("./streamloader.yaml:/etc/streamloader/streamloader.yaml:ro");
        assertThat(list(service.get("command")))
                .containsExactly("run", "--config", "/etc/streamloader/streamloader.yaml");

        StreamloaderConfig config = config();

        assertThat(config.sinks())
                .extracting(RunnerSettings::name, RunnerSettings::type)
                .containsExactlyInAnyOrder(
                        tuple("docs", "mongo"),
                        tuple("search", "elasticsearch"),
                        tuple("clicks", "elasticsearch"),
                        tuple("rollups", "elasticsearch"),
                        tuple("images", "postgres-minio"),
                        tuple("fleet", "postgres-minio"));
        assertThat(config.topics())
                .filteredOn(t -> t.name().equals("images"))
                .singleElement()
                .satisfies(t -> assertThat(t.config()).containsEntry("max.message.bytes", "10485760"));
        ApiConfig api = ApiConfig.from(config); // the api: section binds (producer-api's own validation)
        assertThat(api.port()).isEqualTo(8080);
        assertThat(config.admin().enabled()).isTrue();
        assertThat(list(service.get("ports")))
                .contains(
                        api.port() + ":" + api.port(), "8081:" + config.admin().port());
        assertThat(String.join(" ", list(map(service.get("healthcheck")).get("test"))))
                .contains("/dev/tcp/127.0.0.1/" + config.admin().port())
                .contains("GET /health/ready");
        assertThat(config.plugins().dir()).isEqualTo(Path.of("plugins"));
        assertThat(config.topics())
                .allSatisfy(topic ->
                        assertThat(topic.replicationFactor()).as(topic.name()).isEqualTo((short) 3));
    }

    @Test
    void everyHostAndPortStreamloaderUsesIsAServiceOfTheStack() throws IOException {
        StreamloaderConfig config = config();
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("kafka.bootstrap-servers", config.kafka().bootstrapServers());
        for (RunnerSettings sink : config.sinks()) {
            sink.sinkConfig().forEach((key, value) -> targets.put("sinks." + sink.name() + ".config." + key, value));
        }
        Set<String> found = new LinkedHashSet<>();
        targets.forEach((key, value) -> {
            Matcher m = HOST_PORT.matcher(value);
            while (m.find()) {
                assertThat(services.keySet())
                        .as("%s points at %s", key, m.group())
                        .contains(m.group(1));
                found.add(m.group(1) + ":" + m.group(2));
            }
        });
        assertThat(found)
                .containsExactlyInAnyOrder(
                        "kafka-1:9092",
                        "kafka-2:9092",
                        "kafka-3:9092",
                        "elasticsearch:9200",
                        "mongo:27017",
                        "postgres:5432",
                        "s3:9000");
    }

    @Test
    void kafkaInitCreatesTheTopicsFromTheSameFileAndEnvironment() throws IOException {
        Map<String, Object> init = services.get("kafka-init");
        assertThat(init.get("image")).isEqualTo(services.get("streamloader").get("image"));
        assertThat(list(init.get("command")))
                .startsWith("topics", "create", "--config", "/etc/streamloader/streamloader.yaml");
        assertThat(list(init.get("volumes")))
                .isEqualTo(list(services.get("streamloader").get("volumes")));
        ConfigLoader.parse(Files.readString(DIR.resolve("streamloader.yaml")), environment(init));
    }

    /** compose/streamloader.yaml, interpolated from the streamloader service's environment as compose resolves it. */
    private static StreamloaderConfig config() throws IOException {
        return ConfigLoader.parse(
                Files.readString(DIR.resolve("streamloader.yaml")), environment(services.get("streamloader")));
    }

    private static boolean isJob(Map<String, Object> service) {
        return "no".equals(String.valueOf(service.get("restart")));
    }

    /** Services awaiting {@code target} with {@code condition}. */
    private static List<String> dependents(String target, String condition) {
        return services.entrySet().stream()
                .filter(e -> condition.equals(dependsOn(e.getValue()).get(target)))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** depends_on in either form; the short (list) form means service_started. */
    private static Map<String, String> dependsOn(Map<String, Object> service) {
        Object dependsOn = service.get("depends_on");
        Map<String, String> out = new LinkedHashMap<>();
        if (dependsOn instanceof List<?> names) {
            names.forEach(n -> out.put(String.valueOf(n), "service_started"));
        } else if (dependsOn != null) {
            map(dependsOn)
                    .forEach((n, spec) -> out.put(n, String.valueOf(map(spec).get("condition"))));
        }
        return out;
    }

    /** A service's environment in either form, with compose's ${VAR:-default} resolved as if no .env were set. */
    private static Map<String, String> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (environment instanceof List<?> entries) {
            entries.forEach(e -> {
                String[] kv = String.valueOf(e).split("=", 2);
                out.put(kv[0], kv.length == 2 ? resolve(kv[1]) : "");
            });
        } else if (environment != null) {
            map(environment).forEach((k, v) -> out.put(k, resolve(String.valueOf(v))));
        }
        return out;
    }

    /**
     * Compose's interpolation: {@code ${VAR:-default}} gives the default, {@code ${VAR:+word}} nothing; {@code ${VAR:?message}} (required, no default)
     * takes the value of {@code compose/.env.example}, which must name it.
     */
    private static String resolve(String value) {
        Matcher m = COMPOSE_VARIABLE.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String resolved;
            if ("?".equals(m.group(2))) {
                assertThat(ENV_EXAMPLE)
                        .as(".env.example names required %s", m.group(1))
                        .containsKey(m.group(1));
                resolved = ENV_EXAMPLE.get(m.group(1));
            } else if ("+".equals(m.group(2))) {
                resolved = ""; // ${VAR:+word}: word only when VAR is set, and no .env is
            } else {
                resolved = m.group(3) == null ? "" : m.group(3);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(resolved));
        }
        return m.appendTail(sb).toString();
    }

    /** compose/.env.example: KEY=value lines, # comments. */
    private static final Map<String, String> ENV_EXAMPLE = envExample();

    private static Map<String, String> envExample() {
        try {
            Map<String, String> out = new LinkedHashMap<>();
            for (String line : Files.readAllLines(DIR.resolve(".env.example"))) {
                int eq = line.indexOf('=');
                if (!line.isBlank() && !line.startsWith("#") && eq > 0) {
                    out.put(
                            line.substring(0, eq).strip(),
                            line.substring(eq + 1).strip());
                }
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theApiAndAdminEndpointRequireKeysAndImagesArePinned() throws IOException {
        StreamloaderConfig config = config();
        ApiConfig api = ApiConfig.from(config);
        assertThat(Files.readString(DIR.resolve("streamloader.yaml"))).doesNotContain("allow-unauthenticated");
        assertThat(api.security().keys()).as("api.keys").isNotEmpty();
        assertThat(config.admin().authenticationEnabled()).as("admin.keys").isTrue();
        services.forEach((name, service) -> {
            String image = String.valueOf(service.get("image"));
            assertThat(image).as("image of %s is pinned", name).contains(":").doesNotEndWith(":latest");
            assertThat(image)
                    .as("%s: MinIO's Docker Hub images are no longer published", name)
                    .doesNotStartWith("minio/");
        });
        assertThat(String.valueOf(services.get("s3").get("image"))).startsWith("andrewgaul/s3proxy:");
        assertThat(environment(services.get("s3")))
                .containsEntry("S3PROXY_IDENTITY", "streamloader")
                .containsEntry("S3PROXY_ENDPOINT", "http://0.0.0.0:9000");
    }

    /** The host side of a port mapping: {@code 8080:80} or {@code 127.0.0.1:8080:80}. */
    private static String hostPort(String mapping) {
        String[] parts = mapping.split(":");
        return parts[parts.length - 2];
    }

    /** The container side of a service's only port mapping. */
    private static int containerPort(String service) {
        List<String> ports = list(services.get(service).get("ports"));
        assertThat(ports).as("ports of %s", service).hasSize(1);
        String[] parts = ports.getFirst().split(":");
        return Integer.parseInt(parts[parts.length - 1]);
    }

    @Test
    void theOriginalsToolsRunBehindTheToolsProfileOnLoopbackPorts() {
        Set<String> tools = Set.of("kafka-ui", "kibana-setup", "kibana", "mongo-express", "s3-console");
        services.forEach((name, service) -> {
            if (tools.contains(name)) {
                assertThat(list(service.get("profiles")))
                        .as("profiles of %s", name)
                        .containsExactly("tools");
                list(service.get("ports"))
                        .forEach(p -> assertThat(p)
                                .as("%s publishes on loopback only", name)
                                .startsWith("127.0.0.1:"));
            } else {
                assertThat(service).as("%s runs without a profile", name).doesNotContainKey("profiles");
                assertThat(dependsOn(service).keySet())
                        .as("%s (no profile) cannot wait for a tool that a plain `up` does not start", name)
                        .doesNotContainAnyElementsOf(tools);
            }
        });
    }

    @Test
    void everyToolReachesTheStoreItShowsWithThatStoresPortAndCredentials() throws IOException {
        // Kafka UI: the bootstrap list streamloader uses
        assertThat(environment(services.get("kafka-ui")))
                .containsEntry(
                        "KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS", config().kafka().bootstrapServers());
        assertThat(containerPort("kafka-ui")).isEqualTo(8080); // kafbat's server.port default

        // Kibana: logs in as kibana_system, whose password kibana-setup sets as the elastic user
        Map<String, String> elasticsearch = environment(services.get("elasticsearch"));
        Map<String, String> setup = environment(services.get("kibana-setup"));
        Map<String, String> kibana = environment(services.get("kibana"));
        assertThat(services.get("kibana-setup").get("image"))
                .isEqualTo(services.get("elasticsearch").get("image"));
        assertThat(String.valueOf(services.get("kibana").get("image")))
                .as("Kibana's version is Elasticsearch's")
                .endsWith(":"
                        + String.valueOf(services.get("elasticsearch").get("image"))
                                .split(":")[1]);
        assertThat(setup.get("ELASTIC_PASSWORD")).isEqualTo(elasticsearch.get("ELASTIC_PASSWORD"));
        assertThat(kibana.get("ELASTICSEARCH_PASSWORD")).isEqualTo(setup.get("KIBANA_PASSWORD"));
        assertThat(kibana).containsEntry("ELASTICSEARCH_USERNAME", "kibana_system");
        assertThat(String.join(" ", list(services.get("kibana-setup").get("command"))))
                .contains("http://elasticsearch:" + containerPort("elasticsearch")
                        + "/_security/user/kibana_system/_password")
                .contains("$${ELASTIC_PASSWORD}")
                .contains("$${KIBANA_PASSWORD}");
        assertThat(kibana.get("ELASTICSEARCH_HOSTS"))
                .contains("http://elasticsearch:" + containerPort("elasticsearch"));
        assertThat(containerPort("kibana")).isEqualTo(5601);

        // mongo-express: the root user of the mongo service
        Map<String, String> mongo = environment(services.get("mongo"));
        assertThat(environment(services.get("mongo-express")))
                .containsEntry(
                        "ME_CONFIG_MONGODB_URL",
                        "mongodb://" + mongo.get("MONGO_INITDB_ROOT_USERNAME") + ":"
                                + mongo.get("MONGO_INITDB_ROOT_PASSWORD") + "@mongo:" + containerPort("mongo")
                                + "/?authSource=admin")
                .containsEntry("ME_CONFIG_BASICAUTH_ENABLED", "true");
        assertThat(containerPort("mongo-express")).isEqualTo(8081); // mongo-express's PORT default
        assertThat(String.join(
                        " ",
                        list(map(services.get("mongo-express").get("healthcheck"))
                                .get("test"))))
                .contains("connect(8081,");

        // the S3 console: s3proxy's identity, credential and port
        Map<String, String> s3 = environment(services.get("s3"));
        Map<String, String> console = environment(services.get("s3-console"));
        assertThat(console)
                .containsEntry("ENDPOINT", "s3:" + s3.get("S3PROXY_ENDPOINT").replaceAll(".*:", ""))
                .containsEntry("ACCESS_KEY_ID", s3.get("S3PROXY_IDENTITY"))
                .containsEntry("SECRET_ACCESS_KEY", s3.get("S3PROXY_CREDENTIAL"))
                .containsEntry("USE_SSL", "false");
        assertThat(containerPort("s3"))
                .isEqualTo(Integer.parseInt(s3.get("S3PROXY_ENDPOINT").replaceAll(".*:", "")));
        assertThat(containerPort("s3-console")).isEqualTo(Integer.parseInt(console.get("PORT")));
        assertThat(String.join(
                        " ",
                        list(map(services.get("s3-console").get("healthcheck")).get("test"))))
                .contains("127.0.0.1:" + console.get("PORT"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return yaml == null ? Map.of() : (Map<String, Object>) yaml;
    }

    private static List<String> list(Object yaml) {
        return yaml == null
                ? List.of()
                : ((List<?>) yaml).stream().map(String::valueOf).toList();
    }
}
