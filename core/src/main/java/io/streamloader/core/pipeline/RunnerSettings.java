package io.streamloader.core.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Everything the host knows about one configured sink runner, typed and validated. Built by {@link #builder(String)},
 * which starts from the defaults, or by the config binder; {@code with...} methods change one setting.
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

    /**
     * Settings of the runner {@code name}, from the defaults: group {@link #defaultGroupId}, one worker, {@link
     * BatchPolicy#DEFAULT}, {@link RetryPolicy#DEFAULT}, {@link #DEFAULT_DEAD_LETTER_TOPIC}, no sink config, {@link
     * SupervisionPolicy#DEFAULT}, {@link DeadLetterHeaders#BOTH}, {@link EventFilter#ALL}, {@link TransformChain#NONE}.
     * {@link Builder#type} and {@link Builder#topics} have no default.
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder(name)
                .type(type)
                .topics(topics)
                .groupId(groupId)
                .workers(workers)
                .batch(batch)
                .retry(retry)
                .deadLetterTopic(deadLetterTopic)
                .sinkConfig(sinkConfig)
                .supervision(supervision)
                .deadLetterHeaders(deadLetterHeaders)
                .filter(filter)
                .transforms(transforms);
    }

    /** Shows the sink's config keys but none of their values: any of them may be a secret. */
    @Override
    public String toString() {
        return "RunnerSettings[name=" + name + ", type=" + type + ", topics=" + topics + ", groupId=" + groupId
                + ", workers=" + workers + ", batch=" + batch + ", retry=" + retry + ", deadLetterTopic="
                + deadLetterTopic + ", sinkConfig keys=" + new TreeSet<>(sinkConfig.keySet())
                + ", supervision="
                + supervision + ", deadLetterHeaders=" + deadLetterHeaders + ", filter=" + filter + ", transforms="
                + transforms + "]";
    }

    /** These settings with another batch policy. */
    public RunnerSettings withBatch(BatchPolicy batch) {
        return toBuilder().batch(batch).build();
    }

    /** These settings with another supervision policy. */
    public RunnerSettings withSupervision(SupervisionPolicy supervision) {
        return toBuilder().supervision(supervision).build();
    }

    /** These settings with other dead-letter headers. */
    public RunnerSettings withDeadLetterHeaders(DeadLetterHeaders deadLetterHeaders) {
        return toBuilder().deadLetterHeaders(deadLetterHeaders).build();
    }

    /** These settings with another filter. */
    public RunnerSettings withFilter(EventFilter filter) {
        return toBuilder().filter(filter).build();
    }

    /** These settings with another transform chain. */
    public RunnerSettings withTransforms(TransformChain transforms) {
        return toBuilder().transforms(transforms).build();
    }

    /** The group id used when the config names none. */
    public static String defaultGroupId(String name) {
        return "streamloader." + name;
    }

    /** The dead-letter topic for records from {@code sourceTopic}. */
    public String deadLetterTopicFor(String sourceTopic) {
        return deadLetterTopic.replace("{topic}", sourceTopic);
    }

    /** Settings by name, from the defaults; {@link #build()} validates them as the record's constructor does. */
    public static final class Builder {
        private final String name;
        private String type;
        private List<String> topics = List.of();
        private String groupId;
        private int workers = 1;
        private BatchPolicy batch = BatchPolicy.DEFAULT;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private String deadLetterTopic = DEFAULT_DEAD_LETTER_TOPIC;
        private Map<String, String> sinkConfig = Map.of();
        private SupervisionPolicy supervision = SupervisionPolicy.DEFAULT;
        private DeadLetterHeaders deadLetterHeaders = DeadLetterHeaders.BOTH;
        private EventFilter filter = EventFilter.ALL;
        private TransformChain transforms = TransformChain.NONE;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder type(String type) {
            this.type = type;
            return this;
        }

        public Builder topics(List<String> topics) {
            this.topics = topics;
            return this;
        }

        /** Unset: {@link #defaultGroupId} of the name. */
        public Builder groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        public Builder batch(BatchPolicy batch) {
            this.batch = batch;
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        public Builder deadLetterTopic(String deadLetterTopic) {
            this.deadLetterTopic = deadLetterTopic;
            return this;
        }

        public Builder sinkConfig(Map<String, String> sinkConfig) {
            this.sinkConfig = sinkConfig;
            return this;
        }

        public Builder supervision(SupervisionPolicy supervision) {
            this.supervision = supervision;
            return this;
        }

        public Builder deadLetterHeaders(DeadLetterHeaders deadLetterHeaders) {
            this.deadLetterHeaders = deadLetterHeaders;
            return this;
        }

        public Builder filter(EventFilter filter) {
            this.filter = filter;
            return this;
        }

        public Builder transforms(TransformChain transforms) {
            this.transforms = transforms;
            return this;
        }

        /**
         * @throws IllegalArgumentException no topic, or fewer than one worker (the message says which)
         * @throws NullPointerException a setting set to null, or no type (the message names it)
         */
        public RunnerSettings build() {
            return new RunnerSettings(
                    name,
                    type,
                    topics,
                    groupId == null ? defaultGroupId(name) : groupId,
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
    }
}
