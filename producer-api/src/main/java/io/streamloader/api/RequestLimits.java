package io.streamloader.api;

import io.streamloader.core.config.ConfigNode;
import java.time.Duration;
import java.util.Objects;

/**
 * How much work one request or connection may cause ({@code api.limits.*}); each bound is enforced before the work it
 * guards is done, so the heap stays bounded whatever a client sends.
 *
 * @param maxEventsPerRequest events one body (JSON array, NDJSON lines) may hold; counted while scanning the body,
 *     before any event is built; more gives 413 ({@code api.limits.max-events-per-request})
 * @param maxFormFields fields one form body may hold; more gives 413 ({@code api.limits.max-form-fields})
 * @param maxNestingDepth deepest JSON nesting of objects and arrays; deeper gives 400 ({@code
 *     api.limits.max-nesting-depth})
 * @param maxConnections open TCP connections; further ones wait in the accept queue ({@code
 *     api.limits.max-connections})
 * @param idleTimeout a connection that sends nothing for this long is closed ({@code api.limits.idle-timeout})
 * @param minRequestDataRate bytes per second a client must keep sending a body at, or the request is cut ({@code
 *     api.limits.min-request-data-rate}; 0 turns the check off)
 */
public record RequestLimits(
        int maxEventsPerRequest,
        int maxFormFields,
        int maxNestingDepth,
        int maxConnections,
        Duration idleTimeout,
        long minRequestDataRate) {

    public RequestLimits {
        Objects.requireNonNull(idleTimeout, "api.limits.idle-timeout");
        // every check runs, so that the binder reports all of them at once, each under its own key
        var p = new ApiConfigProblems();
        range(p, "max-events-per-request", maxEventsPerRequest, 1, 1_000_000);
        range(p, "max-form-fields", maxFormFields, 1, 100_000);
        range(p, "max-nesting-depth", maxNestingDepth, 2, 1000);
        range(p, "max-connections", maxConnections, 1, 100_000);
        p.require(
                idleTimeout.toMillis() >= 100 && idleTimeout.compareTo(Duration.ofHours(1)) <= 0,
                "api.limits.idle-timeout",
                "api.limits.idle-timeout must be between 100ms and 1h, got " + idleTimeout);
        p.require(
                minRequestDataRate >= 0,
                "api.limits.min-request-data-rate",
                "api.limits.min-request-data-rate must not be negative, got " + minRequestDataRate);
        p.throwIfAny();
    }

    /** 5000 events, 1000 form fields, depth 64, 1000 connections, 30 s idle, 1 KiB/s. */
    public static RequestLimits defaults() {
        return new RequestLimits(5000, 1000, 64, 1000, Duration.ofSeconds(30), 1024);
    }

    /** Binds {@code api.limits}; problems go to the node, and the defaults are returned when there are any. */
    static RequestLimits from(ConfigNode node) {
        var d = defaults();
        try {
            return new RequestLimits(
                    node.integer("max-events-per-request", d.maxEventsPerRequest(), 1, 1_000_000),
                    node.integer("max-form-fields", d.maxFormFields(), 1, 100_000),
                    node.integer("max-nesting-depth", d.maxNestingDepth(), 2, 1000),
                    node.integer("max-connections", d.maxConnections(), 1, 100_000),
                    node.duration("idle-timeout", d.idleTimeout()),
                    node.bytes("min-request-data-rate", d.minRequestDataRate()));
        } catch (ApiConfigProblems.Invalid e) {
            ApiConfigBinder.report(node, e);
            return d;
        }
    }

    /** The 413 for a body holding more than {@code limit} of {@code what}, naming the key. */
    static ApiProblem tooMany(String what, long limit, String key) {
        return ApiProblem.of(
                        413,
                        "Content Too Large",
                        "the request holds more than " + limit + " " + what + " (" + key + ")")
                .with("limit", limit)
                .with("field", key);
    }

    private static void range(ApiConfigProblems p, String key, int value, int min, int max) {
        p.require(
                value >= min && value <= max,
                "api.limits." + key,
                "api.limits." + key + " must be between " + min + " and " + max + ", got " + value);
    }
}
