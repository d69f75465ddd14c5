package io.streamloader.api;

import java.util.Optional;
import java.util.Set;

/**
 * Which topics the API may never write, whatever the configuration lists: dead-letter topics ({@code *.dlq} and each
 * sink's and processor's configured one), processor outputs (derived data a client must not forge) and internal
 * topics ({@code __consumer_offsets}, {@code _schemas}, Kafka Streams' {@code -changelog} and {@code -repartition}).
 */
final class TopicAccess {

    private TopicAccess() {}

    /** Why {@code topic} is never writable, or empty when it may be; {@code derived} are outputs and DLQs. */
    static Optional<String> refusal(String topic, Set<String> derived) {
        if (topic.startsWith("_")) {
            return Optional.of("an internal topic (its name starts with '_')");
        }
        if (topic.endsWith("-changelog") || topic.endsWith("-repartition")) {
            return Optional.of("an internal Kafka Streams topic");
        }
        if (topic.endsWith(".dlq")) {
            return Optional.of("a dead-letter topic");
        }
        if (derived.contains(topic)) {
            return Optional.of("a processor output or dead-letter topic");
        }
        return Optional.empty();
    }
}
