package io.streamloader.api;

import io.streamloader.core.config.BindAddress;
import io.streamloader.core.config.ConfigNode;
import io.streamloader.core.config.KeySecret;
import io.streamloader.core.config.TlsFiles;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may use the API and over what: {@code api.keys}, {@code api.allow-unauthenticated} and {@code api.tls}. Without
 * keys the API must bind a loopback host unless the operator opts out explicitly (logged as a warning at start).
 *
 * @param keys the API keys; empty: no authentication
 * @param allowUnauthenticated serve a non-loopback {@code api.host} without keys
 * @param tls PEM files to serve HTTPS instead of HTTP
 */
public record ApiSecurity(List<ApiKey> keys, boolean allowUnauthenticated, Optional<TlsFiles> tls) {

    public static final ApiSecurity NONE = new ApiSecurity(List.of(), false, Optional.empty());

    public ApiSecurity {
        keys = List.copyOf(keys);
        Objects.requireNonNull(tls, "api.tls");
        var names = new HashSet<String>();
        var secrets = new HashSet<KeySecret>();
        var p = new ApiConfigProblems(); // every key checked, each problem under its key's path
        for (ApiKey k : keys) {
            String key = "api.keys." + k.name();
            p.require(names.add(k.name()), key, key + " is configured twice");
            p.require(secrets.add(k.secret()), key, key + " has the same secret as another key");
        }
        p.throwIfAny();
    }

    public boolean authenticationEnabled() {
        return !keys.isEmpty();
    }

    /**
     * Refuses a non-loopback host without keys or the opt-out.
     *
     * @throws IllegalArgumentException naming {@code api.host}, {@code api.keys} and {@code api.allow-unauthenticated}
     */
    void checkBinding(String host) {
        if (!authenticationEnabled() && !allowUnauthenticated && !BindAddress.isLoopback(host)) {
            throw new IllegalArgumentException("api.host " + host + " is not a loopback address: configure api.keys,"
                    + " or set api.allow-unauthenticated: true to accept events from anyone who can reach it");
        }
    }

    /**
     * Says at start who can reach the API: loopback only, keys, or (as a warning) anyone. Names the host, not a URL:
     * the port may be 0 here (chosen at bind), and the line that gives the URL is the caller's, with the real port.
     */
    void logBinding(String host) {
        var log = org.slf4j.LoggerFactory.getLogger(ApiSecurity.class);
        String scheme = tls.isPresent() ? "https" : "http";
        if (authenticationEnabled()) {
            log.info("producer API ({} on {}) requires one of {} API key(s)", scheme, host, keys.size());
        } else if (BindAddress.isLoopback(host)) {
            log.info(
                    "producer API ({} on {}) listens on loopback only: no api.keys configured (set api.keys to serve"
                            + " other hosts)",
                    scheme,
                    host);
        } else {
            log.warn(
                    "producer API ({} on {}) accepts events WITHOUT authentication from anyone who can reach it"
                            + " (api.allow-unauthenticated: true)",
                    scheme,
                    host);
        }
    }

    /** Binds {@code keys}, {@code allow-unauthenticated} and {@code tls} of the {@code api:} node. */
    static ApiSecurity from(ConfigNode api) {
        var keys = new java.util.ArrayList<ApiKey>();
        api.section("keys").sections().forEach((name, entry) -> {
            var topics = new LinkedHashSet<>(entry.stringList("topics", List.of("*")));
            long rate = entry.longValue("rate", 0, 0, 1_000_000);
            long burst = entry.longValue("burst", rate, 0, 100_000_000);
            var pins = entry.flatStringMap("pin");
            var secret = KeySecret.from(entry);
            if (secret.isPresent()) {
                try {
                    keys.add(new ApiKey(name, secret.get(), topics, pins, rate, burst));
                } catch (ApiConfigProblems.Invalid e) {
                    ApiConfigBinder.report(entry, e);
                }
            }
        });
        boolean open = api.bool("allow-unauthenticated", false);
        var tls = TlsFiles.from(api);
        tls.ifPresent(files -> {
            try {
                Tls.load(files); // contents checked by `config check` too, not only at start
            } catch (IllegalArgumentException e) {
                ApiConfigBinder.report(api.section("tls"), e.getMessage());
            }
        });
        try {
            return new ApiSecurity(keys, open, tls);
        } catch (ApiConfigProblems.Invalid e) {
            ApiConfigBinder.report(api, e);
            return new ApiSecurity(List.of(), true, tls);
        }
    }
}
