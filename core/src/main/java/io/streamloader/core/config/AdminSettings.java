package io.streamloader.core.config;

import java.util.Objects;

/**
 * The operations endpoint of {@code streamloader run}: section {@code admin:}. Serves {@code /health/live}, {@code
 * /health/ready} (every runner healthy and its store reachable) and {@code /metrics} (Prometheus), whether or not
 * the producer API runs in the same process.
 *
 * <pre>
 * admin:
 *   enabled: true
 *   host: 0.0.0.0
 *   port: 8081
 * </pre>
 *
 * @param enabled whether to serve it
 * @param host interface to bind
 * @param port TCP port; 0 picks a free one
 */
public record AdminSettings(boolean enabled, String host, int port) {

    public static final AdminSettings DEFAULT = new AdminSettings(true, "0.0.0.0", 8081);

    public AdminSettings {
        Objects.requireNonNull(host, "host");
    }

    /** Binds section {@code admin:}; problems go to the node's problems. */
    public static AdminSettings from(ConfigNode node) {
        return new AdminSettings(
                node.bool("enabled", DEFAULT.enabled()),
                node.string("host", DEFAULT.host()),
                node.integer("port", DEFAULT.port(), 0, 65535));
    }
}
