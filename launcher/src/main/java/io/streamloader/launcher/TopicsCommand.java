package io.streamloader.launcher;

import io.streamloader.core.config.ConfigException;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.ConfigProblems;
import io.streamloader.core.config.StreamloaderConfig;
import io.streamloader.core.config.TopicSettings;
import io.streamloader.core.pipeline.RunnerSettings;
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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
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

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            StreamloaderConfig file;
            try {
                file = ConfigLoader.load(config, System.getenv());
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
                described.forEach((name, description) -> {
                    int want = wanted.get(name).numPartitions();
                    int have = description.partitions().size();
                    spec.commandLine()
                            .getOut()
                            .printf(
                                    "exists   %-40s partitions=%d%s%n",
                                    name,
                                    have,
                                    have == want ? "" : " (warning: config asks for " + want + "; not changed)");
                });
                return 0;
            } catch (ExecutionException | TimeoutException e) {
                spec.commandLine().getErr().println("FAILED   describing existing topics: " + e.getMessage());
                return 1;
            }
        }
    }

    /**
     * The configured topics, then the dead-letter topic of each sink's topics and of each stream processor (same
     * replication, 1 partition). Processors' own internal topics are created by Kafka Streams.
     */
    static Map<String, NewTopic> wanted(StreamloaderConfig file) {
        Map<String, NewTopic> topics = new LinkedHashMap<>();
        for (TopicSettings t : file.topics()) {
            topics.put(t.name(), new NewTopic(t.name(), t.partitions(), t.replicationFactor()).configs(t.config()));
        }
        for (RunnerSettings sink : file.sinks()) {
            for (String source : sink.topics()) {
                String dlq = sink.deadLetterTopicFor(source);
                short replication = file.topic(source)
                        .map(TopicSettings::replicationFactor)
                        .orElse(TopicSettings.DEFAULT_REPLICATION_FACTOR);
                topics.putIfAbsent(dlq, new NewTopic(dlq, 1, replication));
            }
        }
        for (ClickRollupProcessor processor : ClickRollup.fromConfig(file, new ConfigProblems())) {
            String dlq = processor.config().deadLetterTopic();
            short replication = file.topic(processor.config().input())
                    .map(TopicSettings::replicationFactor)
                    .orElse(TopicSettings.DEFAULT_REPLICATION_FACTOR);
            topics.putIfAbsent(dlq, new NewTopic(dlq, 1, replication));
        }
        return topics;
    }
}
