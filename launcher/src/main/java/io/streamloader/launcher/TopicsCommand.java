package io.streamloader.launcher;

import io.streamloader.core.config.ConfigException;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.ConfigProblems;
import io.streamloader.core.config.StreamloaderConfig;
import io.streamloader.core.config.TopicSettings;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.rollup.ClickRollup;
import io.streamloader.rollup.ClickRollupProcessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamloader topics create --config FILE}: creates the configured topics and every sink's dead-letter topic.
 * Topics are made here, at setup, never implicitly by producing to them.
 */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Manage the Kafka topics a config file needs.",
        subcommands = {TopicsCommand.Create.class})
final class TopicsCommand {
    private static final String MAX_MESSAGE_BYTES = "max.message.bytes";

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Creates every topic under topics: (partitions, replication-factor, config such as max.message.bytes",
                "or cleanup.policy=compact) and each sink's dead-letter topic. Existing topics are left as they are",
                "and reported; a differing partition count is reported as a warning."
            })
    static final class Create implements Callable<Integer> {
        @Option(
                names = {"-c", "--config"},
                required = true,
                paramLabel = "FILE",
                description = "The streamloader.yaml naming the topics.")
        Path config;

        @Option(
                names = "--timeout",
                defaultValue = "30",
                paramLabel = "SECONDS",
                description = "How long to wait for the brokers (default ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Mixin
        EnvironmentOptions environment;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            StreamloaderConfig file;
            try {
                file = ConfigLoader.load(config, environment.environment());
            } catch (ConfigException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return ExitCodes.INVALID;
            }
            Map<String, NewTopic> wanted = wanted(file);
            Map<String, Object> props = new HashMap<>(file.kafka().clientProperties());
            props.put("default.api.timeout.ms", timeoutSeconds * 1000);
            props.put("request.timeout.ms", Math.min(timeoutSeconds * 1000, 30_000));
            try (Admin admin = Admin.create(props)) {
                return create(admin, wanted);
            }
        }

        private int create(Admin admin, Map<String, NewTopic> wanted) throws InterruptedException {
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            int failures = 0;
            var results = admin.createTopics(wanted.values()).values();
            List<String> existing = new ArrayList<>();
            for (var entry : results.entrySet()) {
                NewTopic topic = wanted.get(entry.getKey());
                try {
                    entry.getValue().get(timeoutSeconds, TimeUnit.SECONDS);
                    out.printf(
                            "created  %-40s partitions=%d replication=%d %s%n",
                            topic.name(), topic.numPartitions(), topic.replicationFactor(), topic.configs());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        existing.add(topic.name());
                    } else {
                        failures++;
                        err.printf(
                                "FAILED   %-40s %s%n",
                                topic.name(), e.getCause().getMessage());
                    }
                } catch (TimeoutException e) {
                    failures++;
                    err.printf("FAILED   %-40s brokers did not answer within %d s%n", topic.name(), timeoutSeconds);
                }
            }
            if (!existing.isEmpty()) {
                failures += reportExisting(admin, wanted, existing);
            }
            return failures == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
        }

        private int reportExisting(Admin admin, Map<String, NewTopic> wanted, List<String> existing)
                throws InterruptedException {
            try {
                Map<String, TopicDescription> described =
                        admin.describeTopics(existing).allTopicNames().get(timeoutSeconds, TimeUnit.SECONDS);
                Map<ConfigResource, Config> configs = admin.describeConfigs(existing.stream()
                                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                                .toList())
                        .all()
                        .get(timeoutSeconds, TimeUnit.SECONDS);
                described.forEach((name, description) -> {
                    int want = wanted.get(name).numPartitions();
                    int have = description.partitions().size();
                    spec.commandLine()
                            .getOut()
                            .printf(
                                    "exists   %-40s partitions=%d%s%s%n",
                                    name,
                                    have,
                                    have == want ? "" : " (warning: config asks for " + want + "; not changed)",
                                    sizeWarning(
                                            wanted.get(name),
                                            configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))));
                });
                return 0;
            } catch (ExecutionException | TimeoutException e) {
                spec.commandLine().getErr().println("FAILED   describing existing topics: " + e.getMessage());
                return 1;
            }
        }
    }

    /** A warning when an existing topic takes smaller records than the config asks (a dead-letter topic would then
     * get truncated letters), else empty. */
    private static String sizeWarning(NewTopic wanted, Config have) {
        String want = wanted.configs() == null ? null : wanted.configs().get(MAX_MESSAGE_BYTES);
        var entry = have == null ? null : have.get(MAX_MESSAGE_BYTES);
        if (want == null || entry == null || entry.value() == null) {
            return "";
        }
        try {
            if (Long.parseLong(entry.value()) < Long.parseLong(want.trim())) {
                return " (warning: max.message.bytes=" + entry.value() + ", config asks for " + want
                        + "; not changed: larger records are refused, or truncated in a dead-letter topic)";
            }
        } catch (NumberFormatException e) {
            return "";
        }
        return "";
    }

    /**
     * The configured topics, then the dead-letter topic of each sink's topics and of each stream processor (same
     * replication, 1 partition, and room for the largest record of its sources: their {@code max.message.bytes}, or
     * Kafka's default, plus {@link SinkRunner#DEAD_LETTER_HEADROOM} for the error headers). Processors' own internal
     * topics are created by Kafka Streams.
     */
    static Map<String, NewTopic> wanted(StreamloaderConfig file) {
        Map<String, NewTopic> topics = new LinkedHashMap<>();
        for (TopicSettings t : file.topics()) {
            topics.put(t.name(), new NewTopic(t.name(), t.partitions(), t.replicationFactor()).configs(t.config()));
        }
        Map<String, Long> dlqLimits = new LinkedHashMap<>();
        Map<String, Short> dlqReplication = new HashMap<>();
        for (RunnerSettings sink : file.sinks()) {
            for (String source : sink.topics()) {
                addDeadLetterTopic(file, sink.deadLetterTopicFor(source), source, dlqLimits, dlqReplication);
            }
        }
        for (ClickRollupProcessor processor : ClickRollup.fromConfig(file, new ConfigProblems())) {
            addDeadLetterTopic(
                    file,
                    processor.config().deadLetterTopic(),
                    processor.config().input(),
                    dlqLimits,
                    dlqReplication);
        }
        dlqLimits.forEach((dlq, limit) -> topics.putIfAbsent(
                dlq,
                new NewTopic(dlq, 1, dlqReplication.get(dlq))
                        .configs(Map.of(MAX_MESSAGE_BYTES, Long.toString(limit)))));
        return topics;
    }

    private static void addDeadLetterTopic(
            StreamloaderConfig file,
            String dlq,
            String source,
            Map<String, Long> limits,
            Map<String, Short> replication) {
        limits.merge(dlq, sourceLimit(file, source) + SinkRunner.DEAD_LETTER_HEADROOM, Math::max);
        short sourceReplication = file.topic(source)
                .map(TopicSettings::replicationFactor)
                .orElse(TopicSettings.DEFAULT_REPLICATION_FACTOR);
        replication.putIfAbsent(dlq, sourceReplication);
    }

    /** The source's configured {@code max.message.bytes}, or Kafka's default when it sets none (or an unusable one). */
    static long sourceLimit(StreamloaderConfig file, String source) {
        String configured =
                file.topic(source).map(t -> t.config().get(MAX_MESSAGE_BYTES)).orElse(null);
        if (configured != null) {
            try {
                return Math.max(Long.parseLong(configured.trim()), SinkRunner.KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
            } catch (NumberFormatException e) {
                // the broker refuses it when creating the source topic, which reports it
            }
        }
        return SinkRunner.KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
    }
}
