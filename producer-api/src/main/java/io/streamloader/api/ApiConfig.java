package io.streamloader.api;

import io.streamloader.core.config.ConfigNode;
import io.streamloader.core.config.StreamloaderConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Settings of the producer API. Immutable and validated; every message names the offending key (as it is spelled
 * under {@code api:} in {@code streamloader.yaml}). API keys are secrets and never appear in {@link #toString()}.
 *
 * @param host interface to bind ({@code api.host})
 * @param port TCP port, 0 for any free port ({@code api.port})
 * @param routes extra POST paths and the topic each writes to ({@code api.routes}); {@code /topics/{topic}} exists
 *     for every topic regardless
 * @param topics topics reachable through {@code /topics/{topic}} besides the routes' topics ({@code api.topics})
 * @param maxBodyBytes largest accepted request body; more gives 413 ({@code api.max-body-bytes})
 * @param maxInFlightBytes request bytes being published at once; more gives 429 ({@code api.max-in-flight-bytes})
 * @param requestTimeout how long a request waits for Kafka's acknowledgement before 503 ({@code api.request-timeout})
 * @param retryAfter value of {@code Retry-After} on 429 and 503 ({@code api.retry-after})
 * @param idField per-element field that becomes the event id when present ({@code api.id-field}; empty: none)
 * @param keyField per-element field whose value becomes the Kafka key ({@code api.key-field}; empty: the event id)
 * @param schemas JSON Schema file per topic ({@code api.schemas.<topic>})
 * @param security API keys, the loopback opt-out and TLS ({@code api.keys}, {@code api.allow-unauthenticated},
 *     {@code api.tls}; see {@link ApiSecurity}); no keys: no authentication, and then {@code host} must be loopback
 * @param blobContentTypes media types stored as one opaque event, {@code type/*} wildcards allowed ({@code
 *     api.blob-content-types})
 * @param positionalTopics topics whose JSON arrays may be positional events ({@code api.positional-topics}): an array
 *     of scalars is one event, an array of such arrays one event each; elsewhere an array must hold objects
 * @param limits bounds on the work of one request or connection ({@code api.limits.*})
 * @param topicBlobContentTypes a topic's own blob allow-list, replacing {@code blobContentTypes} there ({@code
 *     api.topic-blob-content-types.<topic>})
 * @param protectedTopics processor outputs and dead-letter topics of this deployment: never writable, like {@link
 *     TopicAccess}'s internal names
 */
public record ApiConfig(
        String host,
        int port,
        Map<String, String> routes,
        List<String> topics,
        long maxBodyBytes,
        long maxInFlightBytes,
        Duration requestTimeout,
        Duration retryAfter,
        Optional<String> idField,
        Optional<String> keyField,
        Map<String, Path> schemas,
        ApiSecurity security,
        List<String> blobContentTypes,
        List<String> positionalTopics,
        RequestLimits limits,
        Map<String, List<String>> topicBlobContentTypes,
        Set<String> protectedTopics) {

    /** Kafka's legal topic names. */
    static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private static final Pattern ROUTE = Pattern.compile("/[a-zA-Z0-9._-]+(/[a-zA-Z0-9._-]+)*");
    private static final Set<String> RESERVED = Set.of("topics", "health", "metrics", "openapi.json");
    private static final String MEDIA_TYPE = "[a-z0-9.+-]+/([a-z0-9.+-]+|\\*)";

    public ApiConfig {
        Objects.requireNonNull(host, "api.host");
        routes = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(routes, "api.routes")));
        topics = List.copyOf(Objects.requireNonNull(topics, "api.topics"));
        protectedTopics = Set.copyOf(Objects.requireNonNull(protectedTopics, "protectedTopics"));
        limits = Objects.requireNonNull(limits, "api.limits");
        Objects.requireNonNull(requestTimeout, "api.request-timeout");
        Objects.requireNonNull(retryAfter, "api.retry-after");
        idField = Objects.requireNonNull(idField, "api.id-field").filter(f -> !f.isBlank());
        keyField = Objects.requireNonNull(keyField, "api.key-field").filter(f -> !f.isBlank());
        schemas = Map.copyOf(Objects.requireNonNull(schemas, "api.schemas"));
        Objects.requireNonNull(security, "api.keys");
        blobContentTypes = List.copyOf(Objects.requireNonNull(blobContentTypes, "api.blob-content-types"));
        positionalTopics = List.copyOf(Objects.requireNonNull(positionalTopics, "api.positional-topics"));
        var perTopic = new LinkedHashMap<String, List<String>>();
        Objects.requireNonNull(topicBlobContentTypes, "api.topic-blob-content-types")
                .forEach((topic, types) -> perTopic.put(topic, List.copyOf(types)));
        topicBlobContentTypes = Map.copyOf(perTopic);

        // every check runs, so that a binder can report all of them at once (ApiConfigBinder)
        var p = new ApiConfigProblems();
        p.require(!host.isBlank(), "api.host", "api.host must not be blank");
        p.require(port >= 0 && port <= 65535, "api.port", "api.port must be between 0 and 65535, got " + port);
        routes.forEach((path, topic) -> {
            p.require(
                    ROUTE.matcher(path).matches(),
                    "api.routes",
                    "api.routes key '" + path + "' must be a path like /events");
            p.require(
                    !ROUTE.matcher(path).matches()
                            || !RESERVED.contains(path.substring(1).split("/")[0]),
                    "api.routes",
                    "api.routes key '" + path + "' collides with a built-in path");
            p.require(
                    TOPIC.matcher(topic).matches(),
                    "api.routes." + path,
                    "api.routes." + path + " is not a valid topic name: " + topic);
        });
        topics.forEach(
                t -> p.require(TOPIC.matcher(t).matches(), "api.topics", "api.topics has an invalid topic name: " + t));
        for (String t : topics) {
            String why = TopicAccess.refusal(t, protectedTopics).orElse(null);
            p.require(
                    why == null, "api.topics", "api.topics lists '" + t + "', " + why + ", which the API never writes");
        }
        for (var route : routes.entrySet()) {
            String why = TopicAccess.refusal(route.getValue(), protectedTopics).orElse(null);
            p.require(
                    why == null,
                    "api.routes." + route.getKey(),
                    "api.routes." + route.getKey() + " targets '" + route.getValue() + "', " + why
                            + ", which the API never writes");
        }
        p.require(maxBodyBytes > 0, "api.max-body-bytes", "api.max-body-bytes must be positive, got " + maxBodyBytes);
        p.require(
                maxBodyBytes <= Integer.MAX_VALUE - 8, "api.max-body-bytes", "api.max-body-bytes must be below 2 GiB");
        p.require(
                maxInFlightBytes >= maxBodyBytes,
                "api.max-in-flight-bytes",
                "api.max-in-flight-bytes (" + maxInFlightBytes + ") must be at least api.max-body-bytes ("
                        + maxBodyBytes + ")");
        p.require(
                maxInFlightBytes <= Integer.MAX_VALUE,
                "api.max-in-flight-bytes",
                "api.max-in-flight-bytes must be below 2 GiB");
        p.require(requestTimeout.toMillis() >= 1, "api.request-timeout", "api.request-timeout must be at least 1ms");
        p.require(!retryAfter.isNegative(), "api.retry-after", "api.retry-after must not be negative");
        try {
            security.checkBinding(host);
        } catch (IllegalArgumentException e) {
            p.require(false, "api.host", e.getMessage());
        }
        blobContentTypes.forEach(t -> p.require(
                t.matches(MEDIA_TYPE),
                "api.blob-content-types",
                "api.blob-content-types has an invalid media type: " + t));
        Set<String> served = allTopics(routes, topics);
        topicBlobContentTypes.forEach((topic, types) -> {
            String key = "api.topic-blob-content-types." + topic;
            p.require(served.contains(topic), key, key + " names a topic the API does not serve");
            types.forEach(t -> p.require(t.matches(MEDIA_TYPE), key, key + " has an invalid media type: " + t));
        });
        for (String topic : schemas.keySet()) {
            p.require(
                    served.contains(topic), "api.schemas." + topic, "api.schemas." + topic + " names an unknown topic");
        }
        for (String topic : positionalTopics) {
            p.require(
                    TOPIC.matcher(topic).matches(),
                    "api.positional-topics",
                    "api.positional-topics has an invalid topic name: " + topic);
            p.require(
                    !TOPIC.matcher(topic).matches() || served.contains(topic),
                    "api.positional-topics",
                    "api.positional-topics names an unknown topic: " + topic + " (the API serves " + served + ")");
        }
        p.throwIfAny();
    }

    /** Defaults: the original demos' routes, loopback port 8080, 16 MiB bodies, 5 s timeout, no topics. */
    public static ApiConfig defaults() {
        return new ApiConfig(
                "127.0.0.1",
                8080,
                Map.of("/somedata", "somedata", "/footdata", "footdata", "/events", "events"),
                List.of(),
                16L << 20,
                64L << 20,
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Optional.of("id"),
                Optional.empty(),
                Map.of(),
                ApiSecurity.NONE,
                ContentTypes.DEFAULT_BLOB_TYPES,
                List.of(),
                RequestLimits.defaults(),
                Map.of(),
                Set.of());
    }

    /**
     * Binds the {@code api:} section of a loaded file; see {@link ApiConfigBinder#bind(StreamloaderConfig)}.
     *
     * @throws io.streamloader.core.config.ConfigException listing every problem, each with its key path
     */
    public static ApiConfig from(StreamloaderConfig file) {
        return ApiConfigBinder.bind(file);
    }

    /** Binds an {@code api:} node; see {@link ApiConfigBinder#bind(ConfigNode, List, Set)}. */
    public static ApiConfig from(ConfigNode node, List<String> fileTopics) {
        return ApiConfigBinder.bind(node, fileTopics, Set.of());
    }

    /** Binds an {@code api:} node; see {@link ApiConfigBinder#bind(ConfigNode, List, Set)}. */
    public static ApiConfig from(ConfigNode node, List<String> defaultTopics, Set<String> protectedTopics) {
        return ApiConfigBinder.bind(node, defaultTopics, protectedTopics);
    }

    /**
     * Binds an {@code api:} mapping given as YAML would give it (strings, numbers, booleans, lists, maps), for
     * embedding and tests: {@code from(Map.of("port", 0, "topics", List.of("clicks")))}. No topic is protected and
     * {@code api.topics} defaults to none; see {@link ApiConfigBinder#bind(Map)}.
     *
     * @throws io.streamloader.core.config.ConfigException listing every problem, each with its key path
     */
    public static ApiConfig from(Map<String, ?> api) {
        return ApiConfigBinder.bind(api);
    }

    /** This config with {@code security} instead (keys with limits and pins, TLS files): validated again. */
    public ApiConfig withSecurity(ApiSecurity security) {
        return new ApiConfig(
                host,
                port,
                routes,
                topics,
                maxBodyBytes,
                maxInFlightBytes,
                requestTimeout,
                retryAfter,
                idField,
                keyField,
                schemas,
                security,
                blobContentTypes,
                positionalTopics,
                limits,
                topicBlobContentTypes,
                protectedTopics);
    }

    /** This config with {@code limits} instead: validated again. */
    public ApiConfig withLimits(RequestLimits limits) {
        return new ApiConfig(
                host,
                port,
                routes,
                topics,
                maxBodyBytes,
                maxInFlightBytes,
                requestTimeout,
                retryAfter,
                idField,
                keyField,
                schemas,
                security,
                blobContentTypes,
                positionalTopics,
                limits,
                topicBlobContentTypes,
                protectedTopics);
    }

    /** This config with {@code protectedTopics} instead (as the launcher derives them): validated again. */
    public ApiConfig withProtectedTopics(Set<String> protectedTopics) {
        return new ApiConfig(
                host,
                port,
                routes,
                topics,
                maxBodyBytes,
                maxInFlightBytes,
                requestTimeout,
                retryAfter,
                idField,
                keyField,
                schemas,
                security,
                blobContentTypes,
                positionalTopics,
                limits,
                topicBlobContentTypes,
                protectedTopics);
    }

    /** Every topic the API writes to: the routes' topics and {@link #topics()}, sorted. */
    public Set<String> allTopics() {
        return allTopics(routes, topics);
    }

    /** Whether JSON arrays posted to {@code topic} may be positional events ({@link #positionalTopics()}). */
    public boolean positional(String topic) {
        return positionalTopics.contains(topic);
    }

    /** The blob media types {@code topic} accepts: its own list, else {@link #blobContentTypes()}. */
    public List<String> blobContentTypes(String topic) {
        return topicBlobContentTypes.getOrDefault(topic, blobContentTypes);
    }

    /** Whether {@code apiKeys} is non-empty, i.e. requests must authenticate. */
    public boolean authenticationEnabled() {
        return security.authenticationEnabled();
    }

    /** {@link #retryAfter()} in whole seconds as {@code Retry-After} wants it, at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    @Override
    public String toString() {
        return "ApiConfig[host=" + host + ", port=" + port + ", routes=" + routes + ", topics=" + topics
                + ", maxBodyBytes=" + maxBodyBytes + ", maxInFlightBytes=" + maxInFlightBytes + ", requestTimeout="
                + requestTimeout + ", retryAfter=" + retryAfter + ", idField=" + idField + ", keyField=" + keyField
                + ", schemas=" + schemas + ", apiKeys=" + security.keys().size() + " (masked), blobContentTypes="
                + blobContentTypes + ", positionalTopics=" + positionalTopics + ", limits=" + limits
                + ", topicBlobContentTypes=" + topicBlobContentTypes + ", protectedTopics=" + protectedTopics + "]";
    }

    private static Set<String> allTopics(Map<String, String> routes, List<String> topics) {
        var all = new TreeSet<>(routes.values());
        all.addAll(topics);
        return all;
    }
}
