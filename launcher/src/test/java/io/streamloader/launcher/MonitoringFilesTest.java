package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The monitoring files of the compose stack without Docker: {@code compose/monitoring.yaml} (behind a profile,
 * included by compose.yaml), Prometheus scraping the API and the admin endpoint with their keys, Grafana provisioned
 * with the dashboard, and the alert rules the issue names. Every query parses down to metric names, functions and
 * keywords only; {@link #metricNames()} is what {@code ConsoleIT} checks against a real run's {@code /metrics}.
 */
class MonitoringFilesTest {
    static final Path DIR =
            Path.of(System.getProperty("basedir", ".")).resolve("../compose").normalize();
    /** Series Prometheus makes itself, not the code. */
    static final Set<String> PROMETHEUS_SERIES = Set.of("up");

    private static final Set<String> FUNCTIONS =
            Set.of("sum", "max", "min", "avg", "count", "rate", "increase", "deriv", "histogram_quantile", "clamp_min");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "and", "or", "unless", "bool");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

    @Test
    void theStackIncludesMonitoringBehindAProfileWithPinnedImagesAndHealthChecks() {
        Map<String, Object> main = yaml(DIR.resolve("compose.yaml"));
        assertThat(String.valueOf(main.get("include"))).contains("monitoring.yaml");
        Map<String, Object> services = map(yaml(DIR.resolve("monitoring.yaml")).get("services"));
        assertThat(services).containsOnlyKeys("prometheus", "grafana");
        services.forEach((name, s) -> {
            Map<String, Object> service = map(s);
            assertThat(service.get("profiles")).as(name).isEqualTo(List.of("monitoring"));
            assertThat(String.valueOf(service.get("image"))).as(name).matches(".+:v?\\d+\\.\\d+\\.\\d+");
            assertThat(service).as(name).containsKey("healthcheck");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheApiAndTheAdminEndpointWithTheirKeysAndLoadsTheAlerts() {
        Map<String, Object> prometheus = yaml(DIR.resolve("prometheus/prometheus.yml"));
        assertThat((List<String>) prometheus.get("rule_files")).containsExactly("/etc/prometheus/alerts.yml");
        Map<String, String> targets = new LinkedHashMap<>();
        for (Object o : (List<Object>) prometheus.get("scrape_configs")) {
            Map<String, Object> job = map(o);
            Map<String, Object> auth = map(job.get("authorization"));
            assertThat(auth).containsEntry("type", "Bearer").containsKey("credentials_file");
            List<Object> configs = (List<Object>) job.get("static_configs");
            targets.put(
                    (String) job.get("job_name"),
                    String.valueOf(map(configs.get(0)).get("targets")));
        }
        assertThat(targets)
                .containsEntry("streamloader-api", "[streamloader:8080]")
                .containsEntry("streamloader-admin", "[streamloader:8081]");
        // the entrypoint writes the files the jobs read, from the keys compose/.env sets
        String monitoring = read(DIR.resolve("monitoring.yaml"));
        assertThat(monitoring).contains("> /prometheus/api-key").contains("> /prometheus/admin-key");
    }

    @Test
    void grafanaIsProvisionedWithPrometheusAndTheDashboard() throws IOException {
        Map<String, Object> datasource =
                map(((List<?>) yaml(DIR.resolve("grafana/provisioning/datasources/prometheus.yaml"))
                                .get("datasources"))
                        .get(0));
        assertThat(datasource).containsEntry("uid", "prometheus").containsEntry("url", "http://prometheus:9090");
        assertThat(read(DIR.resolve("grafana/provisioning/dashboards/streamloader.yaml")))
                .contains("path: /var/lib/grafana/dashboards");
        JsonNode dashboard = new ObjectMapper()
                .readTree(DIR.resolve("grafana/dashboards/streamloader.json").toFile());
        List<String> titles = new ArrayList<>();
        dashboard.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        assertThat(titles)
                .contains(
                        "Events/s accepted by topic",
                        "Events/s written",
                        "Events/s retried and dead-lettered",
                        "Runner state",
                        "Consumer lag by partition",
                        "Age of the oldest unwritten event",
                        "Dead letters/s by reason",
                        "Processor events/s",
                        "Processor state");
        dashboard.get("panels").forEach(p -> {
            if (!p.get("type").asText().equals("row")) {
                assertThat(p.at("/datasource/uid").asText())
                        .as(p.get("title").asText())
                        .isEqualTo("prometheus");
                assertThat(p.get("targets")).as(p.get("title").asText()).isNotEmpty();
            }
        });
    }

    @Test
    void theAlertsCoverDeadLettersLagRunnerStateAndApiErrorsAndThrottling() {
        Map<String, String> alerts = alerts();
        assertThat(alerts)
                .containsKeys(
                        "StreamloaderDeadLetters",
                        "StreamloaderLagGrowing",
                        "StreamloaderRunnerNotRunning",
                        "StreamloaderApiErrors",
                        "StreamloaderApiThrottling",
                        "StreamloaderProcessorNotRunning");
        assertThat(alerts.get("StreamloaderDeadLetters")).contains("streamloader_sink_dead_letters_total");
        assertThat(alerts.get("StreamloaderLagGrowing")).contains("deriv(kafka_consumer_fetch_manager_records_lag");
        assertThat(alerts.get("StreamloaderRunnerNotRunning")).contains("state=\"RUNNING\"");
        assertThat(alerts.get("StreamloaderApiErrors")).contains("status=~\"5..\"");
        assertThat(alerts.get("StreamloaderApiThrottling")).contains("status=\"429\"");
        assertThat(alerts.get("StreamloaderProcessorNotRunning")).contains("streamloader_processor_state");
    }

    @Test
    void everyQueryNamesMetricsFunctionsAndKeywordsOnly() {
        List<String> queries = queries();
        assertThat(queries).hasSizeGreaterThan(20);
        for (String query : queries) {
            assertThat(metricNames(query)).as(query).isNotEmpty();
        }
        assertThat(metricNames("sum by (sink, le) (rate(a_b_bucket{job=\"x\", le=~\"1.+\"}[5m])) / clamp_min(c, 1e-9)"))
                .containsExactly("a_b_bucket", "c");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> metricNames("irate(a[1m])"))
                .hasMessageContaining("irate");
        assertThat(metricNames()).contains("streamloader_sink_dead_letters_total", "jvm_memory_used_bytes");
    }

    /** Every expression of the dashboard and the alert rules. */
    static List<String> queries() {
        List<String> queries = new ArrayList<>(alerts().values());
        try {
            JsonNode dashboard = new ObjectMapper()
                    .readTree(
                            DIR.resolve("grafana/dashboards/streamloader.json").toFile());
            dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return queries;
    }

    /** Every metric the queries name, without the series Prometheus makes itself. */
    static Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        queries().forEach(q -> names.addAll(metricNames(q)));
        names.removeAll(PROMETHEUS_SERIES);
        return names;
    }

    /**
     * The metric names in a PromQL expression: what is left once strings, label matchers, ranges, groupings and
     * numbers are gone, and is neither a function (followed by a parenthesis) nor a keyword.
     *
     * @throws IllegalArgumentException for a function this parser does not know (add it to {@link #FUNCTIONS})
     */
    static Set<String> metricNames(String query) {
        String q = query.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("(?<![A-Za-z_:0-9])\\d+(\\.\\d+)?([eE][-+]?\\d+)?", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(q);
        while (m.find()) {
            String word = m.group();
            boolean call = q.substring(m.end()).stripLeading().startsWith("(");
            if (call) {
                if (!FUNCTIONS.contains(word)) {
                    throw new IllegalArgumentException("unknown PromQL function " + word + " in " + query);
                }
            } else if (!KEYWORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> alerts() {
        Map<String, String> alerts = new LinkedHashMap<>();
        for (Object group :
                (List<Object>) yaml(DIR.resolve("prometheus/alerts.yml")).get("groups")) {
            for (Object rule : (List<Object>) map(group).get("rules")) {
                alerts.put(
                        (String) map(rule).get("alert"),
                        String.valueOf(map(rule).get("expr")));
            }
        }
        return alerts;
    }

    private static Map<String, Object> yaml(Path file) {
        return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(read(file)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
