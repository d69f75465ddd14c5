package io.streamloader.connect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Runs any streamloader sink as a Kafka Connect sink connector: {@value ConnectorSettings#SINK_TYPE} names the sink,
 * {@value ConnectorSettings#SINK_CONFIG_PREFIX}{@code *} are its settings. {@link #validate} (Connect's {@code PUT
 * /connector-plugins/.../config/validate}, and every create or update) runs the sink's own {@code
 * SinkFactory.parse}, and each problem it names comes back as an error of that setting. Every task gets the
 * same settings; Connect's consumer group spreads the partitions over them.
 */
public final class StreamloaderSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return adapterVersion();
    }

    static String adapterVersion() {
        String v = StreamloaderSinkConnector.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    @Override
    public void start(Map<String, String> props) {
        List<String> problems = problems(props);
        if (!problems.isEmpty()) {
            throw new ConnectException("invalid connector settings: " + String.join("; ", problems));
        }
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return StreamloaderSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return ConnectorSettings.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        SinkValidation.addSinkProblems(config, connectorConfigs);
        return config;
    }

    private static List<String> problems(Map<String, String> props) {
        Config config = new Config(new ArrayList<>(ConnectorSettings.CONFIG_DEF.validate(props)));
        SinkValidation.addSinkProblems(config, props);
        List<String> problems = new ArrayList<>();
        for (ConfigValue value : config.configValues()) {
            value.errorMessages().forEach(m -> problems.add(value.name() + ": " + m));
        }
        return problems;
    }
}
