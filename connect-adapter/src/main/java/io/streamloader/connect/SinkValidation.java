package io.streamloader.connect;

import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Runs a sink's own config parsing ({@code SinkFactory.parse}) on a connector config and turns every problem into
 * an error of the connector setting it names: the sink names keys as {@code sinks.<name>.config.<key>} ({@link
 * SinkContext#keyPath}), which here is {@value ConnectorSettings#SINK_CONFIG_PREFIX}{@code <key>}. A problem naming
 * no key, or a sink type that cannot be loaded, is an error of {@value ConnectorSettings#SINK_TYPE}.
 */
final class SinkValidation {

    private SinkValidation() {}

    static void addSinkProblems(Config config, Map<String, String> props) {
        ConfigValue type = value(config, ConnectorSettings.SINK_TYPE);
        if (!type.errorMessages().isEmpty()) {
            return; // Connect's own check already says the type is missing
        }
        ConnectorSettings settings;
        try {
            settings = ConnectorSettings.parse(props);
        } catch (RuntimeException e) {
            type.addErrorMessage(EventWriter.message(e));
            return;
        }
        for (Problem p : problems(settings)) {
            value(config, p.key()).addErrorMessage(p.message());
        }
    }

    /** A problem and the connector setting it belongs to. */
    record Problem(String key, String message) {}

    static List<Problem> problems(ConnectorSettings settings) {
        SinkContext context = new SinkContext(settings.connectorName(), settings.sinkConfig());
        try (SinkPlugins plugins = SinkPlugins.load(settings)) {
            plugins.factory().parse(context);
            return List.of();
        } catch (SinkConfigException e) {
            List<Problem> problems = new ArrayList<>();
            for (String problem : e.problems()) {
                problems.add(locate(context, problem));
            }
            return problems;
        } catch (RuntimeException | LinkageError e) {
            String where = settings.pluginsDir()
                    .map(d -> " (plugins from " + ConnectorSettings.PLUGINS_DIR + "=" + d + ")")
                    .orElse("");
            return List.of(new Problem(ConnectorSettings.SINK_TYPE, EventWriter.message(e) + where));
        }
    }

    /** Finds the key a problem names and rewrites the operator-facing key path to the connector setting's name. */
    static Problem locate(SinkContext context, String problem) {
        String yamlPrefix = context.keyPath("");
        String message = problem.replace(yamlPrefix, ConnectorSettings.SINK_CONFIG_PREFIX);
        Matcher m = Pattern.compile(Pattern.quote(ConnectorSettings.SINK_CONFIG_PREFIX)
                        + "([A-Za-z0-9_.\\-\\[\\]]*[A-Za-z0-9_\\]])")
                .matcher(message);
        Optional<String> key = Optional.empty();
        while (m.find()) {
            String candidate = m.group(1);
            // the longest configured key the path starts with (a problem may name a sub-key of a list or map)
            String best = context.config().keySet().stream()
                    .filter(k -> candidate.equals(k) || candidate.startsWith(k + "."))
                    .max(java.util.Comparator.comparingInt(String::length))
                    .orElse(candidate);
            key = Optional.of(ConnectorSettings.SINK_CONFIG_PREFIX + best);
            break;
        }
        return new Problem(key.orElse(ConnectorSettings.SINK_TYPE), message);
    }

    private static ConfigValue value(Config config, String name) {
        for (ConfigValue v : config.configValues()) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        ConfigValue v = new ConfigValue(name);
        config.configValues().add(v);
        return v;
    }
}
