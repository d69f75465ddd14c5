package io.streamloader.api;

import io.streamloader.core.config.ConfigNode;
import io.streamloader.core.config.ConfigProblems;
import io.streamloader.core.config.StreamloaderConfig;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds the {@code api:} section of {@code streamloader.yaml} into an {@link ApiConfig}, collecting every problem
 * with its key path: the getters' (types, ranges, unknown keys) and the record's checks across keys, all at once.
 *
 * <p>Stateless; not instantiable.
 */
final class ApiConfigBinder {

    private ApiConfigBinder() {}

    /**
     * Binds the {@code api:} section of a loaded file. {@code api.topics} defaults to the input topics of sinks and
     * processors; processor outputs and dead-letter topics are never writable (see {@link #bind(ConfigNode, List,
     * Set)}); schema paths are taken as written (relative to the working directory).
     *
     * @throws io.streamloader.core.config.ConfigException listing every problem, each with its key path
     */
    static ApiConfig bind(StreamloaderConfig file) {
        var problems = new ConfigProblems();
        var node = file.api().bind(problems);
        var inputs = new LinkedHashSet<String>();
        var derived = new LinkedHashSet<String>();
        file.sinks()
                .forEach(sink -> sink.topics().forEach(t -> {
                    inputs.add(t);
                    derived.add(sink.deadLetterTopicFor(t));
                }));
        // processors are bound by their own module (rollup), which producer-api does not depend on: read their topics
        // here, problems ignored (the processors' binder reports them), with the built-in rollup's defaults
        file.processors().bind(new ConfigProblems()).sections().forEach((name, p) -> {
            boolean rollup = p.string("type", "").equals("clickstream-rollup");
            String input = p.optionalString("input").orElse(rollup ? "clickstream" : null);
            if (input != null) {
                inputs.add(input);
                derived.add(p.section("dead-letter").string("topic", input + ".dlq"));
            }
            p.optionalString("output")
                    .or(() -> Optional.ofNullable(rollup ? "click_events" : null))
                    .ifPresent(derived::add);
        });
        ApiConfig config = bind(node, List.copyOf(inputs), derived);
        node.finish();
        problems.throwIfAny("streamloader.yaml");
        return config;
    }

    /**
     * Binds an {@code api:} node, with the topics no request may write: processor outputs and dead-letter topics.
     * Every problem (the getters' and the record's own checks) goes to the node's problems with its key path, and the
     * defaults are returned when there are any. Call {@link ConfigNode#finish()} afterwards to reject unknown keys. Those are left out of the default {@code api.topics}, and listing one explicitly is a problem naming the
     * key.
     *
     * @param defaultTopics {@code api.topics} when the file has none: the inputs of sinks and processors
     * @param protectedTopics processor outputs and every configured dead-letter topic
     */
    static ApiConfig bind(ConfigNode node, List<String> defaultTopics, Set<String> protectedTopics) {
        var d = ApiConfig.defaults();
        var writableDefaults = defaultTopics.stream()
                .filter(t -> TopicAccess.refusal(t, protectedTopics).isEmpty())
                .toList();
        var b = ApiConfig.builder()
                .host(node.string("host", d.host()))
                .port(node.integer("port", d.port(), 0, 65535))
                .topics(node.stringList("topics", writableDefaults))
                .maxBodyBytes(node.bytes("max-body-bytes", d.maxBodyBytes()))
                .maxInFlightBytes(node.bytes("max-in-flight-bytes", d.maxInFlightBytes()))
                .requestTimeout(node.duration("request-timeout", d.requestTimeout()))
                .retryAfter(node.duration("retry-after", d.retryAfter()))
                .idField(node.string("id-field", d.idField().orElse("")))
                .keyField(node.string("key-field", d.keyField().orElse("")))
                .blobContentTypes(node.stringList("blob-content-types", d.blobContentTypes()))
                .positionalTopics(node.stringList("positional-topics", d.positionalTopics()))
                .limits(RequestLimits.from(node.section("limits")))
                .protectedTopics(protectedTopics);
        // a list flattens to one comma-joined value
        node.flatStringMap("topic-blob-content-types")
                .forEach((topic, types) -> b.topicBlobContentTypes(
                        topic,
                        java.util.Arrays.stream(types.split(","))
                                .map(String::trim)
                                .filter(t -> !t.isEmpty())
                                .toList()));
        Map<String, String> routes = node.flatStringMap("routes");
        if (node.has("routes")) {
            b.routes(routes); // `routes: {}` turns the demo routes off; /topics/{topic} stays
        }
        node.flatStringMap("schemas").forEach((topic, file) -> b.schema(topic, Path.of(file)));
        // keys are named entries so the secret itself is a value, which ${ENV} interpolation reaches (keys are not)
        b.security(ApiSecurity.from(node));
        try {
            return b.build();
        } catch (ApiConfig.InvalidException e) {
            // the record checks across keys; each of its findings names its key path under api:
            e.problems().forEach(p -> node.problems().add(p.getKey(), withoutKey(p.getKey(), p.getValue())));
            return d;
        } catch (IllegalArgumentException | NullPointerException e) {
            node.problem(e.getMessage());
            return d;
        }
    }

    /** {@code "api.port must be ..."} → {@code "must be ..."}: ConfigProblems puts the key path in front itself. */
    private static String withoutKey(String keyPath, String message) {
        return message.startsWith(keyPath + " ") ? message.substring(keyPath.length() + 1) : message;
    }
}
