package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.api.ApiConfig;
import io.streamloader.core.config.AdminSettings;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.StreamloaderConfig;
import io.streamloader.core.config.TopicSettings;
import io.streamloader.core.pipeline.RunnerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes manifests under {@code deploy/k8s} agree with the code without a cluster: the ConfigMap's
 * {@code streamloader.yaml} passes config validation with the environment the Deployment gives the pod (its Secret and
 * env), the container ports are the config's ports (which are the defaults), the probes hit the health endpoints on
 * the servers that serve them, and the memory request covers what {@code bench/run memory} measured.
 */
class DeployManifestsTest {
    private static final Path DIR =
            Path.of(System.getProperty("basedir", ".")).resolve("../deploy/k8s").normalize();
    /** {@code ${VAR}} or {@code ${VAR:-default}} in streamloader.yaml. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(:-[^}]*)?}");
    /**
     * Non-heap memory of {@code streamloader run} with the three built-in sinks, measured by {@code bench/run memory}
     * (bench/README.md: peak RSS 478 MiB under -Xmx256m, "RSS is roughly heap + 200 MiB").
     */
    private static final long MEASURED_NON_HEAP = 200L << 20;

    private static final long MI = 1L << 20;

    private static final Map<String, Map<String, Object>> objects = new LinkedHashMap<>();

    @BeforeAll
    static void parse() throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> kustomization = map(yaml.load(Files.readString(DIR.resolve("kustomization.yaml"))));
        List<String> files = new ArrayList<>(list(kustomization.get("resources")));
        files.add("secret.example.yaml");
        for (String file : files) {
            for (Object doc : yaml.loadAll(Files.readString(DIR.resolve(file)))) {
                Map<String, Object> object = map(doc);
                String id =
                        object.get("kind") + "/" + map(object.get("metadata")).get("name");
                assertThat(objects.put(id, object)).as("%s declared once", id).isNull();
            }
        }
    }

    @Test
    void theKustomizationHoldsTheWorkloadAndLeavesTheSecretOut() throws IOException {
        assertThat(objects)
                .containsOnlyKeys(
                        "ConfigMap/streamloader-config",
                        "Deployment/streamloader",
                        "Service/streamloader",
                        "Service/streamloader-admin",
                        "PodDisruptionBudget/streamloader",
                        "Secret/streamloader");
        Map<String, Object> kustomization = map(new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(DIR.resolve("kustomization.yaml"))));
        assertThat(list(kustomization.get("resources"))).doesNotContain("secret.example.yaml");
        objects.forEach(
                (id, object) -> assertThat(map(map(object.get("metadata")).get("labels")))
                        .as("labels of %s", id)
                        .containsEntry("app.kubernetes.io/name", "streamloader"));
    }

    @Test
    void theConfigMapIsValidWithThePodsEnvironmentAndBindsTheDefaultPorts() {
        StreamloaderConfig config = config();
        ApiConfig api = ApiConfig.from(config);
        // no port keys: the container ports below must be the defaults the code binds
        assertThat(api.port()).isEqualTo(ApiConfig.defaults().port());
        assertThat(config.admin().port()).isEqualTo(AdminSettings.DEFAULT.port());
        assertThat(containerPorts())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("http", api.port(), "admin", config.admin().port()));
        // reachable from the Service and the kubelet, so not loopback, hence keys (secure by default)
        assertThat(api.host()).isEqualTo("0.0.0.0");
        assertThat(api.security().keys()).as("api.keys").isNotEmpty();
        assertThat(config.admin().host()).isEqualTo("0.0.0.0");
        assertThat(config.admin().authenticationEnabled()).as("admin.keys").isTrue();
        assertThat(config.plugins().dir()).isEqualTo(Path.of("plugins"));
        assertThat(config.sinks())
                .extracting(RunnerSettings::type)
                .containsExactlyInAnyOrder("elasticsearch", "mongo", "postgres-minio");
    }

    @Test
    void everyVariableWithoutDefaultComesFromTheSecretAndEverySecretKeyIsUsed() {
        Set<String> required = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(streamloaderYaml());
        while (m.find()) {
            if (m.group(2) == null) {
                required.add(m.group(1));
            }
        }
        Map<String, Object> container = container();
        List<String> secretRefs = ((List<?>) container.get("envFrom"))
                .stream()
                        .map(e -> String.valueOf(map(map(e).get("secretRef")).get("name")))
                        .toList();
        assertThat(secretRefs).containsExactly("streamloader");
        Set<String> secretKeys =
                map(objects.get("Secret/streamloader").get("stringData")).keySet();
        assertThat(secretKeys).containsExactlyInAnyOrderElementsOf(required);
        assertThat(secretKeys)
                .allSatisfy(
                        k -> assertThat(env()).as("env shadowing secret %s", k).doesNotContainKey(k));
    }

    @Test
    void probesHitTheHealthEndpointsOfTheRightServers() {
        Map<String, Object> container = container();
        Map<String, Object> live = map(map(container.get("livenessProbe")).get("httpGet"));
        Map<String, Object> ready = map(map(container.get("readinessProbe")).get("httpGet"));
        Map<String, Object> startup = map(map(container.get("startupProbe")).get("httpGet"));
        Map<String, Integer> ports = containerPorts();
        StreamloaderConfig config = config();
        assertThat(live).containsEntry("path", "/health/live");
        assertThat(ports.get(String.valueOf(live.get("port"))))
                .isEqualTo(config.admin().port());
        assertThat(startup).isEqualTo(live);
        // the API's readiness (Kafka reachable) gates the Service: a store outage must not stop the API taking events
        assertThat(ready).containsEntry("path", "/health/ready");
        assertThat(ports.get(String.valueOf(ready.get("port"))))
                .isEqualTo(ApiConfig.from(config).port());
        for (String service : List.of("Service/streamloader", "Service/streamloader-admin")) {
            Map<String, Object> spec = map(objects.get(service).get("spec"));
            assertThat(map(spec.get("selector"))).isEqualTo(podLabels());
            for (Object port : (List<?>) spec.get("ports")) {
                String target = String.valueOf(map(port).get("targetPort"));
                assertThat(ports).as("%s targets a container port", service).containsKey(target);
                assertThat(map(port).get("port")).isEqualTo(ports.get(target));
            }
        }
    }

    @Test
    void theConfigIsMountedWhereTheCommandReadsIt() {
        Map<String, Object> pod = podSpec();
        Map<String, Object> container = container();
        assertThat(list(container.get("args")))
                .containsExactly("run", "--config", "/etc/streamloader/streamloader.yaml");
        assertThat(((List<?>) container.get("volumeMounts")).stream().map(DeployManifestsTest::map))
                .anySatisfy(v ->
                        assertThat(v).containsEntry("name", "config").containsEntry("mountPath", "/etc/streamloader"));
        assertThat(((List<?>) pod.get("volumes")).stream().map(DeployManifestsTest::map))
                .anySatisfy(v -> assertThat(map(v.get("configMap"))).containsEntry("name", "streamloader-config"));
        assertThat(map(objects.get("ConfigMap/streamloader-config").get("data")))
                .containsOnlyKeys("streamloader.yaml");
        // SIGTERM commits what was written and leaves the groups; give it time
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThanOrEqualTo(30);
    }

    @Test
    void theMemoryRequestCoversTheHeapPlusTheMeasuredNonHeap() {
        Map<String, Object> resources = map(container().get("resources"));
        long request = quantity(String.valueOf(map(resources.get("requests")).get("memory")));
        long limit = quantity(String.valueOf(map(resources.get("limits")).get("memory")));
        Matcher xmx = Pattern.compile("-Xmx(\\d+[kmgKMG])").matcher(env().getOrDefault("JAVA_TOOL_OPTIONS", ""));
        assertThat(xmx.find()).as("JAVA_TOOL_OPTIONS sets -Xmx").isTrue();
        long heap = quantity(xmx.group(1));
        assertThat(request).isGreaterThanOrEqualTo(heap + MEASURED_NON_HEAP);
        assertThat(limit).isGreaterThanOrEqualTo(request);
        // the heap covers what the three sinks were measured with plus the API's in-flight bodies
        assertThat(heap)
                .isGreaterThanOrEqualTo((256 * MI) + ApiConfig.from(config()).maxInFlightBytes());
    }

    @Test
    void replicasTimesWorkersFitEachSinksPartitions() {
        int replicas = (Integer)
                map(objects.get("Deployment/streamloader").get("spec")).get("replicas");
        StreamloaderConfig config = config();
        Map<String, Integer> partitions = new HashMap<>();
        config.topics().forEach(t -> partitions.put(t.name(), t.partitions()));
        for (RunnerSettings sink : config.sinks()) {
            for (String topic : sink.topics()) {
                assertThat(partitions)
                        .as("topic %s of sink %s is declared", topic, sink.name())
                        .containsKey(topic);
                assertThat(replicas * sink.workers())
                        .as(
                                "sink %s: %d pods x %d workers on %d partitions of %s (idle workers otherwise)",
                                sink.name(), replicas, sink.workers(), partitions.get(topic), topic)
                        .isLessThanOrEqualTo(partitions.get(topic));
            }
        }
        assertThat(config.topics())
                .allSatisfy(t -> assertThat(t.replicationFactor()).isEqualTo((short) 3));
        assertThat(config.topics().stream().map(TopicSettings::name)).contains("events");
    }

    @Test
    void theImageIsPinnedAndTheSameTheKustomizationSets() throws IOException {
        String image = String.valueOf(container().get("image"));
        Map<String, Object> kustomization = map(new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(DIR.resolve("kustomization.yaml"))));
        Map<String, Object> override = map(((List<?>) kustomization.get("images")).getFirst());
        assertThat(image).isEqualTo(override.get("name") + ":" + override.get("newTag"));
        assertThat(image).contains(":").doesNotEndWith(":latest");
    }

    /** The ConfigMap's streamloader.yaml interpolated from the Secret and the container's env. */
    private static StreamloaderConfig config() {
        Map<String, String> podEnv = new HashMap<>(env());
        map(objects.get("Secret/streamloader").get("stringData")).forEach((k, v) -> podEnv.put(k, String.valueOf(v)));
        return ConfigLoader.parse(streamloaderYaml(), podEnv);
    }

    private static String streamloaderYaml() {
        return String.valueOf(
                map(objects.get("ConfigMap/streamloader-config").get("data")).get("streamloader.yaml"));
    }

    private static Map<String, Object> podSpec() {
        Map<String, Object> spec = map(objects.get("Deployment/streamloader").get("spec"));
        return map(map(spec.get("template")).get("spec"));
    }

    private static Map<String, Object> podLabels() {
        Map<String, Object> spec = map(objects.get("Deployment/streamloader").get("spec"));
        Map<String, Object> labels =
                map(map(map(spec.get("template")).get("metadata")).get("labels"));
        assertThat(map(map(spec.get("selector")).get("matchLabels"))).isEqualTo(labels);
        return labels;
    }

    private static Map<String, Object> container() {
        List<?> containers = (List<?>) podSpec().get("containers");
        assertThat(containers).hasSize(1);
        return map(containers.getFirst());
    }

    private static Map<String, Integer> containerPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Object port : (List<?>) container().get("ports")) {
            ports.put(String.valueOf(map(port).get("name")), (Integer) map(port).get("containerPort"));
        }
        return ports;
    }

    private static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        Object entries = container().get("env");
        if (entries != null) {
            for (Object e : (List<?>) entries) {
                env.put(String.valueOf(map(e).get("name")), String.valueOf(map(e).get("value")));
            }
        }
        return env;
    }

    /** A Kubernetes memory quantity (Mi, Gi, Ki) or a JVM size (m, g, k) in bytes. */
    private static long quantity(String value) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|m|g|K|M|G)?").matcher(value.strip());
        assertThat(m.matches()).as("quantity %s", value).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "ki", "k" -> n << 10;
            case "mi", "m" -> n << 20;
            case "gi", "g" -> n << 30;
            default -> n;
        };
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
