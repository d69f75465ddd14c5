package io.streamloader.core.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the host knows about one configured sink runner, typed and validated.
 *
 * @param name the sink's name in the config ({@code sinks.<name>}); used in logs, metrics and the default group id
 * @param type the {@link io.streamloader.spi.SinkFactory#type()} to instantiate
 * @param topics topics to consume, at least one
 * @param groupId consumer group; {@code streamloader.<name>} by default
 * @param workers worker threads, each with its own consumer and sink instance; more than the partitions is useless
 * @param batch when to hand records to the sink
 * @param retry backoff for retriable failures
 * @param deadLetterTopic dead-letter topic pattern; {@code {topic}} is replaced by the source topic
 * @param sinkConfig the sink's own settings, dotted keys, passed to the factory untouched
 * @param supervision what happens once the runner failed: restart with backoff (default), stop, or exit the process
 * @param deadLetterHeaders which error headers dead letters carry: streamloader's, Kafka Connect's, or both (default)
 * @param filter which events the sink takes ({@code sinks.<name>.filter}); the others are committed unwritten
 * @param transforms the sink's transform chain ({@code sinks.<name>.transforms}), applied after {@code filter}; a
 *     runner needs it {@linkplain TransformChain#isResolved() resolved}
 */
public record RunnerSettings(
        String name,
        String type,
        List<String> topics,
        String groupId,
        int workers,
        BatchPolicy batch,
        RetryPolicy retry,
        String deadLetterTopic,
        Map<String, String> sinkConfig,
        SupervisionPolicy supervision,
        DeadLetterHeaders deadLetterHeaders,
        EventFilter filter,
        TransformChain transforms) {

    public static final String DEFAULT_DEAD_LETTER_TOPIC = "{topic}.dlq";

    public RunnerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        topics = List.copyOf(topics);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("a sink runner needs at least one topic");
        }
        Objects.requireNonNull(groupId, "groupId");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        sinkConfig = Map.copyOf(sinkConfig);
        Objects.requireNonNull(supervision, "supervision");
        Objects.requireNonNull(deadLetterHeaders, "deadLetterHeaders");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(transforms, "transforms");
    }

    /** Settings without transforms ({@link TransformChain#NONE}). */
    public RunnerSettings(
            String name,
            String type,
            List<String> topics,
            String groupId,
            int workers,
            BatchPolicy batch,
            RetryPolicy retry,
            String deadLetterTopic,
            Map<String, String> sinkConfig,
            SupervisionPolicy supervision,
            DeadLetterHeaders deadLetterHeaders,
            EventFilter filter) {
        this(
                name,
                type,
                topics,
                groupId,
                workers,
                batch,
                retry,
                deadLetterTopic,
                sinkConfig,
                supervision,
                deadLetterHeaders,
                filter,
                TransformChain.NONE);
    }

    /**
     * Settings whose dead letters carry both header families ({@link DeadLetterHeaders#BOTH}) and that take every
     * event ({@link EventFilter#ALL}).
     */
    public RunnerSettings(
            String name,
            String type,
            List<String> topics,
            String groupId,
            int workers,
            BatchPolicy batch,
            RetryPolicy retry,
            String deadLetterTopic,
            Map<String, String> sinkConfig,
            SupervisionPolicy supervision) {
        this(
                name,
                type,
                topics,
                groupId,
                workers,
                batch,
                retry,
                deadLetterTopic,
                sinkConfig,
                supervision,
                DeadLetterHeaders.BOTH,
                EventFilter.ALL);
    }

    /** Settings with the default supervision ({@link SupervisionPolicy#DEFAULT}: restart with backoff). */
    public RunnerSettings(
            String name,
            String type,
            List<String> topics,
            String groupId,
            int workers,
            BatchPolicy batch,
            RetryPolicy retry,
            String deadLetterTopic,
            Map<String, String> sinkConfig) {
        this(
                name,
                type,
                topics,
                groupId,
                workers,
                batch,
                retry,
                deadLetterTopic,
                sinkConfig,
                SupervisionPolicy.DEFAULT);
    }

    /** Shows the sink's config keys but none of their values: any of them may be a secret. */
    @Override
    public String toString() {
        return "RunnerSettings[name=" + name + ", type=" + type + ", topics=" + topics + ", groupId=" + groupId
                + ", workers=" + workers + ", batch=" + batch + ", retry=" + retry + ", deadLetterTopic="
                + deadLetterTopic + ", sinkConfig keys=" + new java.util.TreeSet<>(sinkConfig.keySet())
                + ", supervision="
                + supervision + ", deadLetterHeaders=" + deadLetterHeaders + ", filter=" + filter + ", transforms="
                + transforms + "]";
    }

    /** These settings with another batch policy. */
    public RunnerSettings withBatch(BatchPolicy batch) {
        return new RunnerSettings(
                name,
                type,
                topics,
                groupId,
                workers,
                batch,
                retry,
                deadLetterTopic,
                sinkConfig,
                supervision,
                deadLetterHeaders,
                filter,
                transforms);
    }

    /** These settings with another supervision policy. */
    public RunnerSettings withSupervision(SupervisionPolicy supervision) {
        return new RunnerSettings(
                name,
                type,
                topics,
                groupId,
                workers,
                batch,
                retry,
                deadLetterTopic,
                sinkConfig,
                supervision,
                deadLetterHeaders,
                filter,
                transforms);
    }

    /** These settings with other dead-letter headers. */
    public RunnerSettings withDeadLetterHeaders(DeadLetterHeaders deadLetterHeaders) {
        return new RunnerSettings(
                name,
                type,
                topics,
                groupId,
                workers,
                batch,
                retry,
                deadLetterTopic,
                sinkConfig,
                supervision,
                deadLetterHeaders,
                filter,
                transforms);
    }

    /** These settings with another filter. */
    public RunnerSettings withFilter(EventFilter filter) {
        return new RunnerSettings(
                name,
                type,
                topics,
                groupId,
                workers,
                batch,
                retry,
                deadLetterTopic,
                sinkConfig,
                supervision,
                deadLetterHeaders,
                filter,
                transforms);
    }

    /** These settings with another transform chain. */
    public RunnerSettings withTransforms(TransformChain transforms) {
        return new RunnerSettings(
                name,
                type,
                topics,
                groupId,
                workers,
                batch,
                retry,
                deadLetterTopic,
                sinkConfig,
                supervision,
                deadLetterHeaders,
                filter,
                transforms);
    }

    /** The group id used when the config names none. */
    public static String defaultGroupId(String name) {
        return "streamloader." + name;
    }

    /** The dead-letter topic for records from {@code sourceTopic}. */
    public String deadLetterTopicFor(String sourceTopic) {
        return deadLetterTopic.replace("{topic}", sourceTopic);
    }
}
