package io.streamloader.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * PEM files for a TLS listener: section {@code tls:} under {@code api:} or {@code admin:}. The files are checked to
 * exist here; their contents (certificate chain, PKCS#8 key matching it, client CA) when the server is built.
 *
 * <pre>
 * tls:
 *   cert: /etc/streamloader/tls/server.crt     # certificate chain, leaf first
 *   key: /etc/streamloader/tls/server.key      # unencrypted PKCS#8 ("BEGIN PRIVATE KEY")
 *   client-ca: /etc/streamloader/tls/ca.crt    # optional: clients must present a certificate it signed
 *   reload-check: 10s                          # how often the files are checked for a renewal; 0s: never
 * </pre>
 *
 * @param cert certificate chain in PEM ({@code tls.cert})
 * @param key private key in PEM ({@code tls.key})
 * @param clientCa CA certificates in PEM that client certificates must chain to ({@code tls.client-ca}); empty: no
 *     client certificates asked for
 * @param keyPath where the section sits in the file ({@code api.tls}), for messages
 * @param reloadCheck how often the files are checked for changes, which are loaded for new connections when they
 *     check out ({@code tls.reload-check}; zero: never)
 */
public record TlsFiles(Path cert, Path key, Optional<Path> clientCa, String keyPath, Duration reloadCheck) {

    /** The default {@code reload-check}: 10 s. */
    public static final Duration DEFAULT_RELOAD_CHECK = Duration.ofSeconds(10);

    /** Files checked for renewal every {@link #DEFAULT_RELOAD_CHECK}. */
    public TlsFiles(Path cert, Path key, Optional<Path> clientCa, String keyPath) {
        this(cert, key, clientCa, keyPath, DEFAULT_RELOAD_CHECK);
    }

    public TlsFiles {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(clientCa, "clientCa");
        Objects.requireNonNull(keyPath, "keyPath");
        Objects.requireNonNull(reloadCheck, "reloadCheck");
        if (reloadCheck.isNegative()) {
            throw new IllegalArgumentException(keyPath + ".reload-check must not be negative");
        }
    }

    /** Binds section {@code tls} of {@code parent}; empty when absent or when a file is missing (then a problem). */
    public static Optional<TlsFiles> from(ConfigNode parent) {
        if (!parent.has("tls")) {
            return Optional.empty();
        }
        ConfigNode node = parent.section("tls");
        Path cert = readable(node, "cert", true);
        Path key = readable(node, "key", true);
        Path ca = readable(node, "client-ca", false);
        Duration reload = node.duration("reload-check", DEFAULT_RELOAD_CHECK);
        if (cert == null || key == null) {
            return Optional.empty();
        }
        if (reload.isNegative()) {
            node.problem("reload-check", "must not be negative");
            return Optional.empty();
        }
        return Optional.of(new TlsFiles(cert, key, Optional.ofNullable(ca), node.keyPath(), reload));
    }

    private static Path readable(ConfigNode node, String key, boolean required) {
        Path path = node.path(key, null);
        if (path == null) {
            if (required) {
                node.problem(key, "is required when tls is configured");
            }
            return null;
        }
        if (!Files.isReadable(path)) {
            node.problem(key, "cannot read " + path + " (missing or not readable)");
            return null;
        }
        return path;
    }
}
