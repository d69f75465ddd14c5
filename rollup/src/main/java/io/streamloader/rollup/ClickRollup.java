package io.streamloader.rollup;

import io.streamloader.core.config.ConfigNode;
import io.streamloader.core.config.ConfigProblems;
import io.streamloader.core.config.StreamloaderConfig;
import io.streamloader.core.config.TopicSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stream processors of a config file: section {@code processors:}, a map of named processors, each with a {@code
 * type} (only {@value ClickRollupConfig#TYPE} exists) and {@code enabled} (default true). See {@link
 * ClickRollupConfig} for the keys.
 */
public final class ClickRollup {

    private ClickRollup() {}

    /**
     * Binds {@code processors:} and returns an unstarted processor per enabled entry, in file order. Every problem goes
     * to {@code problems} with its key path (unknown keys and types, bad values, topics not listed under {@code
     * topics:}, an output topic not compacted there, two processors with one application id); the result is only
     * meaningful when there are none. Nothing is contacted.
     */
    public static List<ClickRollupProcessor> fromConfig(StreamloaderConfig config, ConfigProblems problems) {
        ConfigNode root = config.processors().bind(problems);
        List<ClickRollupProcessor> processors = new ArrayList<>();
        Map<String, String> applicationIds = new HashMap<>();
        root.sections().forEach((name, node) -> {
            String type = node.requiredString("type");
            boolean enabled = node.bool("enabled", true);
            if (!type.isBlank() && !type.equals(ClickRollupConfig.TYPE)) {
                node.problem("type", "unknown processor type '" + type + "'; known: " + ClickRollupConfig.TYPE);
            }
            if (!type.equals(ClickRollupConfig.TYPE)) {
                return;
            }
            int before = problems.size();
            ClickRollupConfig rollup = ClickRollupConfig.from(name, node);
            if (problems.size() > before) {
                return;
            }
            checkTopics(config, node, rollup);
            String other = applicationIds.putIfAbsent(rollup.applicationId(), name);
            if (other != null) {
                node.problem(
                        "application-id",
                        "'" + rollup.applicationId() + "' is also the application id of processors." + other);
            }
            if (enabled) {
                processors.add(new ClickRollupProcessor(rollup, config.kafka().clientProperties()));
            }
        });
        root.finish();
        return List.copyOf(processors);
    }

    private static void checkTopics(StreamloaderConfig config, ConfigNode node, ClickRollupConfig rollup) {
        if (config.topic(rollup.input()).isEmpty()) {
            node.problem("input", "topic '" + rollup.input() + "' is not listed under topics:");
        }
        Optional<TopicSettings> output = config.topic(rollup.output());
        if (output.isEmpty()) {
            node.problem("output", "topic '" + rollup.output() + "' is not listed under topics:");
        } else if (!output.get()
                .config()
                .getOrDefault("cleanup.policy", "delete")
                .contains("compact")) {
            node.problem(
                    "output",
                    "topic '" + rollup.output() + "' must be compacted to keep the latest rollup per pair: set topics."
                            + rollup.output() + ".config.cleanup.policy: compact");
        }
    }
}
