package io.streamloader.api;

import io.streamloader.core.config.ConfigNode;
import io.streamloader.core.config.ConfigProblems;
import io.streamloader.core.config.StreamloaderConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds the {@code api:} section of {@code streamloader.yaml} into an {@link ApiConfig}, collecting every problem
 * with its key path: the getters' (types, ranges, unknown keys) and the record's checks across keys, all at once.
 *
 * <p>Stateless; not instantiable.
 */
final class ApiConfigBinder {

    /** A message's leading key path under {@code api} and what separates it from the rest. */
    private static final Pattern LEADING_KEY = Pattern.compile("(api(?:\\.[^\\s:]+)*)(?::\\s*|\\s+)");

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
        String host = node.string("host", d.host());
        int port = node.integer("port", d.port(), 0, 65535);
        List<String> topics = node.stringList("topics", writableDefaults);
        long maxBodyBytes = node.bytes("max-body-bytes", d.maxBodyBytes());
        long maxInFlightBytes = node.bytes("max-in-flight-bytes", d.maxInFlightBytes());
        var requestTimeout = node.duration("request-timeout", d.requestTimeout());
        var retryAfter = node.duration("retry-after", d.retryAfter());
        var idField = node.string("id-field", d.idField().orElse(""));
        var keyField = node.string("key-field", d.keyField().orElse(""));
        var blobTypes = node.stringList("blob-content-types", d.blobContentTypes());
        var positional = node.stringList("positional-topics", d.positionalTopics());
        var limits = RequestLimits.from(node.section("limits"));
        var topicBlobTypes = new LinkedHashMap<String, List<String>>();
        // a list flattens to one comma-joined value
        node.flatStringMap("topic-blob-content-types")
                .forEach((topic, types) -> topicBlobTypes.put(
                        topic,
                        Arrays.stream(types.split(","))
                                .map(String::trim)
                                .filter(t -> !t.isEmpty())
                                .toList()));
        // `routes: {}` turns the demo routes off; /topics/{topic} stays
        Map<String, String> routes = node.has("routes") ? node.flatStringMap("routes") : d.routes();
        var schemas = new LinkedHashMap<String, Path>();
        node.flatStringMap("schemas").forEach((topic, file) -> schemas.put(topic, Path.of(file)));
        // keys are named entries so the secret itself is a value, which ${ENV} interpolation reaches (keys are not)
        var security = ApiSecurity.from(node);
        try {
            return new ApiConfig(
                    host,
                    port,
                    routes,
                    topics,
                    maxBodyBytes,
                    maxInFlightBytes,
                    requestTimeout,
                    retryAfter,
                    Optional.of(idField),
                    Optional.of(keyField),
                    schemas,
                    security,
                    blobTypes,
                    positional,
                    limits,
                    topicBlobTypes,
                    protectedTopics);
        } catch (ApiConfigProblems.Invalid e) {
            // the record checks across keys; each of its findings names its key path under api:
            report(node, e);
            return d;
        }
    }

    /**
     * Binds an {@code api:} mapping given as YAML would give it, with no protected topics and no default topics, and
     * rejects unknown keys.
     *
     * @throws io.streamloader.core.config.ConfigException listing every problem, each with its key path
     */
    static ApiConfig bind(Map<String, ?> api) {
        var problems = new ConfigProblems();
        // values Jackson cannot turn into a tree (a Duration, a Path) throw IllegalArgumentException: a caller's bug
        ConfigNode root = ConfigNode.root(BodyParser.MAPPER.valueToTree(Map.of("api", api)), problems);
        ApiConfig config = bind(root.section("api"), List.of(), Set.of());
        root.finish();
        problems.throwIfAny("api settings");
        return config;
    }

    /** Hands each of a record's findings to the file's problems under its own key path. */
    static void report(ConfigNode node, ApiConfigProblems.Invalid invalid) {
        invalid.problems().forEach(p -> node.problems().add(p.getKey(), withoutKey(p.getKey(), p.getValue())));
    }

    /**
     * Records {@code message} under the key path it starts with ({@code "api.keys.a.rate must ..."}, {@code
     * "api.tls.cert: ..."}), else under {@code node}'s own path: messages of checks that name their key in the text.
     */
    static void report(ConfigNode node, String message) {
        var m = LEADING_KEY.matcher(message);
        if (m.lookingAt() && m.group(1).startsWith(node.keyPath())) {
            node.problems().add(m.group(1), message.substring(m.end()));
        } else {
            node.problem(message);
        }
    }

    /** {@code "api.port must be ..."} → {@code "must be ..."}: ConfigProblems puts the key path in front itself. */
    private static String withoutKey(String keyPath, String message) {
        return message.startsWith(keyPath + " ") ? message.substring(keyPath.length() + 1) : message;
    }
}
