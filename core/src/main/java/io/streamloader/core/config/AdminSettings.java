package io.streamloader.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The operations endpoint of {@code streamloader run}: section {@code admin:}. Serves {@code /health/live}, {@code
 * /health/ready} (every runner healthy and its store reachable) and {@code /metrics} (Prometheus), whether or not
 * the producer API runs in the same process.
 *
 * <p>Secure by default: it binds loopback only. Another {@code host} needs {@code keys} (then {@code /metrics} and the
 * detailed readiness body need a key with scope {@code read}) or the explicit opt-out {@code allow-unauthenticated:
 * true}, which is logged as a warning at start.
 *
 * <pre>
 * admin:
 *   enabled: true
 *   host: 127.0.0.1
 *   port: 8081
 *   allow-unauthenticated: false
 *   health-cache: 1s
 *   keys:
 *     prometheus: { key-file: /run/secrets/admin-key, scopes: [read] }
 *   tls: { cert: server.crt, key: server.key }
 * </pre>
 *
 * @param enabled whether to serve it
 * @param host interface to bind
 * @param port TCP port; 0 picks a free one
 * @param keys access keys ({@code admin.keys.<name>}); empty: no authentication, which needs a loopback host
 * @param allowUnauthenticated serve a non-loopback host without keys ({@code admin.allow-unauthenticated})
 * @param tls PEM files to serve HTTPS ({@code admin.tls})
 * @param healthCache how long one readiness answer (its store and Kafka probes) is reused ({@code admin.health-cache})
 */
public record AdminSettings(
        boolean enabled,
        String host,
        int port,
        List<Key> keys,
        boolean allowUnauthenticated,
        Optional<TlsFiles> tls,
        Duration healthCache) {

    public static final AdminSettings DEFAULT = new AdminSettings(true, "127.0.0.1", 8081);

    /** What an admin key may do. */
    public enum Scope {
        /** {@code /metrics} and the detailed {@code /health/ready} body. */
        READ,
        /** Dead-letter replay (implies nothing else; give both scopes for both). */
        REPLAY
    }

    /**
     * One admin key: {@code admin.keys.<name>.key} or {@code .key-file}, and {@code .scopes}.
     *
     * @param name the entry's name, shown in logs instead of the secret
     * @param secret the key's digest
     * @param scopes what it may do; default {@code [read]}
     */
    public record Key(String name, KeySecret secret, Set<Scope> scopes) {
        public Key {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(secret, "secret");
            scopes = Set.copyOf(scopes);
        }
    }

    public AdminSettings {
        Objects.requireNonNull(host, "host");
        keys = List.copyOf(keys);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(healthCache, "healthCache");
        if (healthCache.isNegative() || healthCache.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("admin.health-cache must be between 0s and 1m, got " + healthCache);
        }
        if (enabled && keys.isEmpty() && !allowUnauthenticated && !BindAddress.isLoopback(host)) {
            throw new IllegalArgumentException("admin.host " + host + " is not a loopback address: configure"
                    + " admin.keys, or set admin.allow-unauthenticated: true to serve health and metrics to anyone"
                    + " who can reach it");
        }
    }

    /** Loopback-only settings without keys or TLS. */
    public AdminSettings(boolean enabled, String host, int port) {
        this(enabled, host, port, List.of(), false, Optional.empty(), Duration.ofSeconds(1));
    }

    /** Whether requests must present a key (some key is configured). */
    public boolean authenticationEnabled() {
        return !keys.isEmpty();
    }

    /** Binds section {@code admin:}; problems go to the node's problems. */
    public static AdminSettings from(ConfigNode node) {
        boolean enabled = node.bool("enabled", DEFAULT.enabled());
        String host = node.string("host", DEFAULT.host());
        int port = node.integer("port", DEFAULT.port(), 0, 65535);
        boolean open = node.bool("allow-unauthenticated", false);
        Duration cache = node.duration("health-cache", DEFAULT.healthCache());
        List<Key> keys = new ArrayList<>();
        node.section("keys").sections().forEach((name, entry) -> {
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String s : entry.stringList("scopes", List.of("read"))) {
                try {
                    scopes.add(Scope.valueOf(s.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    entry.problem("scopes", "unknown scope '" + s + "'; use read and/or replay");
                }
            }
            KeySecret.from(entry).ifPresent(secret -> keys.add(new Key(name, secret, scopes)));
        });
        Optional<TlsFiles> tls = TlsFiles.from(node);
        try {
            return new AdminSettings(enabled, host, port, keys, open, tls, cache);
        } catch (IllegalArgumentException e) {
            node.problem(e.getMessage().startsWith("admin.health-cache") ? "health-cache" : "host", e.getMessage());
            return DEFAULT;
        }
    }

    @Override
    public String toString() {
        return "AdminSettings[enabled=" + enabled + ", host=" + host + ", port=" + port + ", keys="
                + keys.stream().map(Key::name).toList() + ", allowUnauthenticated=" + allowUnauthenticated + ", tls="
                + tls + ", healthCache=" + healthCache + "]";
    }
}
