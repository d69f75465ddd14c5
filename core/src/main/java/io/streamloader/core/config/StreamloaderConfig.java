package io.streamloader.core.config;

import io.streamloader.core.pipeline.RunnerSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The whole {@code streamloader.yaml}, bound and validated. Read it with {@link ConfigLoader}.
 *
 * @param kafka section {@code kafka:}
 * @param topics section {@code topics:}, in file order
 * @param sinks the enabled entries of {@code sinks:}, in file order
 * @param disabledSinks names of sinks with {@code enabled: false}; validated like the others, but not started
 * @param plugins section {@code plugins:}
 * @param api section {@code api:}, bound by producer-api
 * @param admin section {@code admin:}, the operations endpoint (health, metrics)
 * @param processors section {@code processors:}, bound by the stream processors
 * @param sources section {@code sources:}, bound by the launcher's sources (HTTP poll)
 * @param console section {@code console:}, bound by the launcher's operations console (its flows views)
 */
public record StreamloaderConfig(
        KafkaSettings kafka,
        List<TopicSettings> topics,
        List<RunnerSettings> sinks,
        List<String> disabledSinks,
        PluginSettings plugins,
        AdminSettings admin,
        RawSection api,
        RawSection processors,
        RawSection sources,
        RawSection console) {

    public StreamloaderConfig {
        Objects.requireNonNull(kafka, "kafka");
        topics = List.copyOf(topics);
        sinks = List.copyOf(sinks);
        disabledSinks = List.copyOf(disabledSinks);
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(processors, "processors");
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(console, "console");
    }

    /**
     * Binds a parsed file and rejects its unknown keys. Never throws for a bad value: every problem goes to {@code
     * root.problems()}, and the result is only meaningful when there are none.
     */
    public static StreamloaderConfig from(ConfigNode root) {
        KafkaSettings kafka = KafkaSettings.from(root.section("kafka"));
        List<TopicSettings> topics = new ArrayList<>();
        root.section("topics").sections().forEach((name, node) -> topics.add(TopicSettings.from(name, node)));
        Set<String> topicNames =
                new LinkedHashSet<>(root.section("topics").sections().keySet());
        List<RunnerSettings> sinks = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        root.section("sinks").sections().forEach((name, node) -> {
            boolean enabled = SinkSettingsBinder.enabled(node);
            SinkSettingsBinder.bind(name, node, topicNames).ifPresent(settings -> {
                if (enabled) {
                    sinks.add(settings);
                } else {
                    disabled.add(name);
                }
            });
        });
        PluginSettings plugins = PluginSettings.from(root.section("plugins"));
        AdminSettings admin = AdminSettings.from(root.section("admin"));
        RawSection api = root.raw("api");
        RawSection processors = root.raw("processors");
        RawSection sources = root.raw("sources");
        RawSection console = root.raw("console");
        root.finish();
        return new StreamloaderConfig(
                kafka, topics, sinks, disabled, plugins, admin, api, processors, sources, console);
    }

    /** The topic named {@code name} under {@code topics:}. */
    public Optional<TopicSettings> topic(String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The enabled sink named {@code name}. */
    public Optional<RunnerSettings> sink(String name) {
        return sinks.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** A description with secrets masked by the generic patterns; sink configs show keys, values masked. */
    @Override
    public String toString() {
        return toString(SecretMasker.generic());
    }

    /**
     * A description for {@code config check} output, with sink config values masked by {@code masker} (build it from
     * the factories' {@link io.streamloader.spi.SinkFactory#secretKeys()}).
     */
    public String toString(SecretMasker masker) {
        StringBuilder sb = new StringBuilder("StreamloaderConfig[")
                .append(kafka)
                .append(", topics=")
                .append(topics);
        for (RunnerSettings s : sinks) {
            sb.append(", sink ")
                    .append(s.name())
                    .append("[type=")
                    .append(s.type())
                    .append(", topics=")
                    .append(s.topics())
                    .append(", groupId=")
                    .append(s.groupId())
                    .append(", workers=")
                    .append(s.workers())
                    .append(", ")
                    .append(s.batch())
                    .append(", ")
                    .append(s.retry())
                    .append(", deadLetterTopic=")
                    .append(s.deadLetterTopic())
                    .append(", config=")
                    .append(masker.mask(new TreeMap<>(s.sinkConfig())))
                    .append(']');
        }
        return sb.append(", disabledSinks=")
                .append(disabledSinks)
                .append(", ")
                .append(plugins)
                .append(", ")
                .append(admin)
                .append(", ")
                .append(api)
                .append(", ")
                .append(processors)
                .append(", ")
                .append(sources)
                .append(", ")
                .append(console)
                .append(']')
                .toString();
    }
}
