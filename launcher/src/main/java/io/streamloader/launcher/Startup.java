package io.streamloader.launcher;

import io.streamloader.api.ApiConfig;
import io.streamloader.core.config.ConfigException;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.ConfigNode;
import io.streamloader.core.config.ConfigProblems;
import io.streamloader.core.config.SecretMasker;
import io.streamloader.core.config.StreamloaderConfig;
import io.streamloader.core.pipeline.ConfiguredSink;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.plugin.PluginException;
import io.streamloader.core.plugin.PluginRegistry;
import io.streamloader.core.transform.BuiltinTransforms;
import io.streamloader.launcher.console.FlowsConfig;
import io.streamloader.launcher.sources.HttpPollSourceConfig;
import io.streamloader.rollup.ClickRollup;
import io.streamloader.rollup.ClickRollupProcessor;
import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.TransformConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything checked before anything starts: the config file, the plugins it needs, and each sink's own settings.
 * Every problem is collected, so the operator fixes them all in one go.
 *
 * @param config the validated config
 * @param registry loaded plugins; the caller closes it
 * @param sinks every enabled sink's factory with its settings parsed (once, here), by sink name
 * @param api the producer API's settings when the file has an enabled {@code api:} section
 * @param processors the enabled stream processors of {@code processors:}, unstarted
 */
record Startup(
        StreamloaderConfig config,
        PluginRegistry registry,
        Map<String, ConfiguredSink<?>> sinks,
        Optional<ApiConfig> api,
        List<ClickRollupProcessor> processors)
        implements AutoCloseable {

    /** Where relative plugin directories are resolved: the distribution's home (set by bin/streamloader), else ".". */
    static final String HOME_PROPERTY = "streamloader.home";

    /**
     * @throws ConfigException listing every problem of the file, its plugins and its sinks' settings
     */
    static Startup validate(Path configFile, Map<String, String> env) {
        return validate(configFile.toString(), ConfigLoader.load(configFile, env));
    }

    /**
     * @param source names the config in messages
     * @throws ConfigException listing every problem of the plugins and the sinks' settings
     */
    static Startup validate(String source, StreamloaderConfig config) {
        Path pluginsDir = resolve(config.plugins().dir());
        PluginRegistry registry = PluginRegistry.fromDirectory(pluginsDir);
        List<String> problems = new ArrayList<>();
        Map<String, ConfiguredSink<?>> sinks = new LinkedHashMap<>();
        for (RunnerSettings sink : config.sinks()) {
            try {
                SinkFactory<?> factory = registry.factory(sink.type());
                sinks.put(
                        sink.name(),
                        ConfiguredSink.parse(factory, new SinkContext(sink.name(), sink.sinkConfig(), sink.workers())));
            } catch (PluginException e) {
                problems.add("sinks." + sink.name() + ".type: " + e.getMessage() + " (plugins directory: " + pluginsDir
                        + ")");
            } catch (SinkConfigException e) {
                problems.addAll(e.problems());
            }
            try {
                transforms(sink, registry);
            } catch (TransformConfigException e) {
                problems.addAll(e.problems());
            }
        }
        ConfigProblems processorProblems = new ConfigProblems();
        List<ClickRollupProcessor> processors = ClickRollup.fromConfig(config, processorProblems);
        problems.addAll(processorProblems.list());
        ConfigProblems sourceProblems = new ConfigProblems();
        HttpPollSourceConfig.fromConfig(config, sourceProblems); // started by Platform
        problems.addAll(sourceProblems.list());
        ConfigProblems consoleProblems = new ConfigProblems();
        FlowsConfig.from(config, consoleProblems); // used by the admin endpoint's console
        problems.addAll(consoleProblems.list());
        Optional<ApiConfig> api = api(config, processors, problems);
        if (config.sinks().isEmpty() && api.isEmpty() && processors.isEmpty()) {
            problems.add("sinks: nothing to run; configure at least one sink (or the api section)");
        }
        if (!problems.isEmpty()) {
            registry.close();
            throw new ConfigException(source, problems);
        }
        return new Startup(config, registry, sinks, api, processors);
    }

    /**
     * Binds {@code api:} into the same problem list, so its mistakes are reported with everything else. {@code
     * api.topics} defaults to the inputs of sinks and processors; processor outputs and every dead-letter topic are
     * never writable through the API.
     */
    private static Optional<ApiConfig> api(
            StreamloaderConfig config, List<ClickRollupProcessor> processors, List<String> problems) {
        if (!config.api().isPresent()) {
            return Optional.empty();
        }
        ConfigProblems apiProblems = new ConfigProblems();
        ConfigNode node = config.api().bind(apiProblems);
        boolean enabled = node.bool("enabled", true);
        var inputs = new LinkedHashSet<String>();
        var derived = new LinkedHashSet<String>();
        for (RunnerSettings sink : config.sinks()) {
            for (String topic : sink.topics()) {
                inputs.add(topic);
                derived.add(sink.deadLetterTopicFor(topic));
            }
        }
        for (ClickRollupProcessor processor : processors) {
            inputs.add(processor.config().input());
            derived.add(processor.config().output());
            derived.add(processor.config().deadLetterTopic());
        }
        ApiConfig api = ApiConfig.from(node, List.copyOf(inputs), derived);
        node.finish();
        problems.addAll(apiProblems.list());
        return enabled && apiProblems.isEmpty() ? Optional.of(api) : Optional.empty();
    }

    /**
     * The sink's settings with its transform chain resolved: built-in types (already resolved by the config binder
     * when they are all there is), then plugin types from {@code registry}.
     *
     * @throws TransformConfigException naming every step's problem with its key path
     */
    static RunnerSettings transforms(RunnerSettings sink, PluginRegistry registry) {
        if (sink.transforms().isResolved()) {
            return sink;
        }
        return sink.withTransforms(sink.transforms().resolve(BuiltinTransforms.orElse(registry::transform)));
    }

    /** Masks generic secret patterns plus every secret key the configured sinks declare. */
    SecretMasker masker() {
        Set<String> keys = new HashSet<>();
        sinks.values().forEach(s -> keys.addAll(s.factory().secretKeys()));
        return SecretMasker.withKeys(keys);
    }

    /** Closes the plugin classloaders. */
    @Override
    public void close() {
        registry.close();
    }

    static Path resolve(Path path) {
        if (path.isAbsolute()) {
            return path;
        }
        String home = System.getProperty(HOME_PROPERTY);
        return home == null || home.isBlank()
                ? path.toAbsolutePath()
                : Path.of(home).resolve(path);
    }
}
