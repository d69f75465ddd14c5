package io.streamloader.api;

import io.github.bucket4j.Bucket;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Authentication, topic scope, per-key rate limit and tenant pins of the producer API, in that order:
 *
 * <ol>
 *   <li>the key comes in {@code X-API-Key} or {@code Authorization: Bearer}; both may be sent if they agree. It is
 *       hashed and compared with every configured digest in constant time. Missing or wrong: 401 with {@code
 *       WWW-Authenticate: Bearer};
 *   <li>a topic the API does not serve: 404 listing only the topics this caller may write; a served topic outside the
 *       key's scope: 403;
 *   <li>a key with a {@code rate}: one token per request from its bucket (Bucket4j, greedy refill); empty: 429 with
 *       {@code Retry-After} (seconds until the next token);
 *   <li>pinned variables replace what the request says; a request that says something else is refused (403).
 * </ol>
 *
 * Thread-safe; one per API.
 */
final class ApiAuth {

    private final ApiSecurity security;
    private final Set<String> topics;
    private final Map<String, Bucket> buckets = new HashMap<>();

    ApiAuth(ApiSecurity security, Set<String> topics) {
        this.security = security;
        this.topics = Set.copyOf(topics);
        for (ApiKey key : security.keys()) {
            if (key.rate() > 0) {
                buckets.put(
                        key.name(),
                        Bucket.builder()
                                .addLimit(l -> l.capacity(Math.max(key.burst(), 1))
                                        .refillGreedy(key.rate(), Duration.ofSeconds(1)))
                                .build());
            }
        }
    }

    /**
     * The caller's key, or empty when the API has no keys.
     *
     * @throws ApiProblem 401 when keys are configured and the request carries none of them
     */
    Optional<ApiKey> authenticate(Context ctx) {
        if (!security.authenticationEnabled()) {
            return Optional.empty();
        }
        String header = ctx.header("X-API-Key");
        String auth = ctx.header("Authorization");
        String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? auth.substring(7).strip()
                : null;
        if (header != null && bearer != null && !header.strip().equals(bearer)) {
            throw unauthorized(ctx, "X-API-Key and Authorization: Bearer carry different keys");
        }
        String presented = header != null ? header.strip() : bearer;
        if (presented == null || presented.isEmpty()) {
            throw unauthorized(ctx, "missing API key: send X-API-Key or Authorization: Bearer");
        }
        ApiKey found = null;
        for (ApiKey key : security.keys()) { // every key is compared, so timing does not tell which one is close
            if (key.secret().matches(presented) && found == null) {
                found = key;
            }
        }
        if (found == null) {
            throw unauthorized(ctx, "invalid API key");
        }
        return Optional.of(found);
    }

    /**
     * Authenticates, checks the topic and takes a token from the key's bucket.
     *
     * @return the caller's key, empty when the API has no keys
     * @throws ApiProblem 401, 404, 403 or 429 as in the class description
     */
    Optional<ApiKey> authorize(Context ctx, String topic) {
        Optional<ApiKey> key = authenticate(ctx);
        if (!topics.contains(topic)) {
            var visible = new TreeSet<String>();
            topics.stream().filter(t -> key.map(k -> k.allows(t)).orElse(true)).forEach(visible::add);
            throw ApiProblem.of(
                            404,
                            "Not Found",
                            "topic '" + abbreviate(topic)
                                    + "' does not exist or is not writable through the API; you may write " + visible)
                    .with("field", "topic");
        }
        if (key.isPresent() && !key.get().allows(topic)) {
            throw ApiProblem.of(403, "Forbidden", "this API key may not write to topic '" + topic + "'")
                    .with("field", "topic");
        }
        key.ifPresent(this::take);
        return key;
    }

    private void take(ApiKey key) {
        Bucket bucket = buckets.get(key.name());
        if (bucket == null) {
            return;
        }
        var probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw ApiProblem.retryLater(
                            429,
                            "Too Many Requests",
                            "API key '" + key.name() + "' allows " + key.rate() + " requests per second (burst "
                                    + key.burst() + "); retry in " + seconds + " s",
                            seconds)
                    .with("limit", key.rate());
        }
    }

    /**
     * Whether the caller may see details (topic names, broker problems, metrics): always without keys, else with any
     * valid key or from loopback.
     */
    boolean mayReadDetails(Context ctx) {
        if (!security.authenticationEnabled() || isLoopback(ctx)) {
            return true;
        }
        try {
            return authenticate(ctx).isPresent();
        } catch (ApiProblem e) {
            return false;
        }
    }

    /**
     * Blob metadata ({@code query} and {@code X-Meta-*}) with the key's pins applied: a pinned variable may be absent or
     * carry exactly the pinned value, in every occurrence; the result carries the pinned value.
     *
     * @throws ApiProblem 403 naming the variable when the request contradicts its key
     */
    static Pinned pin(Optional<ApiKey> key, Map<String, List<String>> query, Map<String, String> meta) {
        if (key.isEmpty() || key.get().pins().isEmpty()) {
            return new Pinned(query, meta);
        }
        var q = new LinkedHashMap<>(query);
        var m = new LinkedHashMap<>(meta);
        key.get().pins().forEach((variable, value) -> {
            for (var it = q.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                if (entry.getKey().toLowerCase(Locale.ROOT).equals(variable)) {
                    entry.getValue().forEach(v -> refuseIfDifferent(variable, value, v));
                    it.remove();
                }
            }
            String header = m.get(variable);
            if (header != null) {
                refuseIfDifferent(variable, value, header);
            }
            m.put(variable, value);
        });
        return new Pinned(q, m);
    }

    private static void refuseIfDifferent(String variable, String pinned, String given) {
        if (!pinned.equals(given)) {
            throw ApiProblem.of(
                            403,
                            "Forbidden",
                            "'" + variable + "' is fixed by your API key; leave it out or send the pinned value")
                    .with("field", variable);
        }
    }

    /** Blob metadata after {@link #pin}. */
    record Pinned(Map<String, List<String>> query, Map<String, String> meta) {}

    private static ApiProblem unauthorized(Context ctx, String detail) {
        ctx.header("WWW-Authenticate", "Bearer");
        return ApiProblem.of(401, "Unauthorized", detail).with("field", "X-API-Key");
    }

    static boolean isLoopback(Context ctx) {
        try {
            return InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
