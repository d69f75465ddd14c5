package io.streamloader.api;

import io.streamloader.core.config.TlsFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TLS identity loaded from PEM files ({@link TlsFiles}) into in-memory key stores, checked before anything listens:
 * the chain parses, the key is unencrypted PKCS#8 and belongs to the leaf certificate (a signature made with the key
 * verifies with the certificate), and an expired or not yet valid leaf is logged as a warning. With a client CA, clients
 * must present a certificate it signed (mutual TLS). On Jetty the files are checked every {@code reload-check} for a
 * renewal, which new connections get once it passes the same checks (a renewal that does not is logged and the
 * current identity kept); the JDK server of the admin endpoint reads them once.
 */
public final class Tls {

    private static final Logger LOG = LoggerFactory.getLogger(Tls.class);
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final char[] PASSWORD = "in-memory".toCharArray();

    private final TlsFiles files;
    private final KeyStore keyStore;
    private final Optional<KeyStore> trustStore;

    private Tls(TlsFiles files, KeyStore keyStore, Optional<KeyStore> trustStore) {
        this.files = files;
        this.keyStore = keyStore;
        this.trustStore = trustStore;
    }

    /**
     * Loads and checks the files.
     *
     * @throws IllegalArgumentException naming the key ({@code api.tls.cert}, {@code api.tls.key}, {@code
     *     api.tls.client-ca}) and what is wrong with its file
     */
    public static Tls load(TlsFiles files) {
        String at = files.keyPath() + ".";
        List<X509Certificate> chain = certificates(files.cert(), at + "cert");
        X509Certificate leaf = chain.get(0);
        PrivateKey key = privateKey(files.key(), leaf.getPublicKey().getAlgorithm(), at + "key");
        if (!belongTogether(key, leaf)) {
            throw new IllegalArgumentException(at + "key: " + files.key()
                    + " is not the private key of the certificate in " + files.cert() + " (" + at + "cert)");
        }
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            LOG.warn(
                    "{}cert: certificate {} is valid only from {} to {}; clients will refuse it",
                    at,
                    leaf.getSubjectX500Principal(),
                    leaf.getNotBefore(),
                    leaf.getNotAfter());
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, PASSWORD, chain.toArray(X509Certificate[]::new));
            Optional<KeyStore> trust = Optional.empty();
            if (files.clientCa().isPresent()) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                int i = 0;
                for (X509Certificate ca : certificates(files.clientCa().get(), at + "client-ca")) {
                    ts.setCertificateEntry("ca-" + i++, ca);
                }
                trust = Optional.of(ts);
            }
            return new Tls(files, ks, trust);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an in-memory key store: " + e.getMessage(), e);
        }
    }

    /** Whether clients must present a certificate. */
    public boolean mutual() {
        return trustStore.isPresent();
    }

    /** Jetty's server-side TLS settings: this identity, and client certificates required when mutual. */
    public SslContextFactory.Server jetty() {
        var factory = new SslContextFactory.Server();
        factory.setKeyStore(keyStore);
        factory.setKeyStorePassword(new String(PASSWORD));
        factory.setKeyManagerPassword(new String(PASSWORD));
        trustStore.ifPresent(ts -> {
            factory.setTrustStore(ts);
            factory.setNeedClientAuth(true);
        });
        return factory;
    }

    /** An HTTPS connector (HTTP/1.1 over TLS) for Javalin's {@code cfg.jetty.addConnector}. */
    public ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
        var https = new HttpConfiguration(http);
        var customizer = new SecureRequestCustomizer();
        customizer.setSniHostCheck(false); // clients reach us by IP and by names the certificate may not list
        https.addCustomizer(customizer);
        SslContextFactory.Server ssl = jetty();
        var connector = new ServerConnector(
                server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
        if (files.reloadCheck().isPositive()) {
            server.addBean(new Reloader(files, ssl)); // started and stopped with the server
        }
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** A JDK {@link SSLContext} with this identity (and client CA), for {@code com.sun.net.httpserver}. */
    public SSLContext sslContext() {
        try {
            var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, PASSWORD);
            TrustManagerFactory tmf = null;
            if (trustStore.isPresent()) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore.get());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context for " + files.keyPath(), e);
        }
    }

    /** Polls the files' modification times and sizes; loads a changed set into the running factory. */
    private static final class Reloader extends org.eclipse.jetty.util.component.AbstractLifeCycle {
        private final TlsFiles files;
        private final SslContextFactory.Server ssl;
        private java.util.concurrent.ScheduledExecutorService timer;
        private List<String> seen;

        Reloader(TlsFiles files, SslContextFactory.Server ssl) {
            this.files = files;
            this.ssl = ssl;
        }

        @Override
        protected void doStart() {
            seen = stamp();
            timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("tls-reload").factory());
            long every = files.reloadCheck().toMillis();
            timer.scheduleWithFixedDelay(this::check, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        protected void doStop() {
            timer.shutdownNow();
        }

        private void check() {
            List<String> now = stamp();
            if (now.equals(seen)) {
                return;
            }
            seen = now;
            try {
                Tls fresh = load(files);
                ssl.reload(f -> {
                    f.setKeyStore(fresh.keyStore);
                    fresh.trustStore.ifPresent(f::setTrustStore);
                });
                LOG.info("{}: reloaded {} for new connections", files.keyPath(), files.cert());
            } catch (Exception e) {
                LOG.error("{}: the changed files are not used: {}", files.keyPath(), e.getMessage());
            }
        }

        private List<String> stamp() {
            var out = new ArrayList<String>();
            var paths = new ArrayList<>(List.of(files.cert(), files.key()));
            files.clientCa().ifPresent(paths::add);
            for (Path p : paths) {
                try {
                    out.add(Files.getLastModifiedTime(p) + "/" + Files.size(p));
                } catch (IOException e) {
                    out.add("missing");
                }
            }
            return out;
        }
    }

    private static List<X509Certificate> certificates(Path file, String key) {
        try {
            var factory = CertificateFactory.getInstance("X.509");
            var out = new ArrayList<X509Certificate>();
            for (byte[] der : blocks(file, key, "CERTIFICATE")) {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException(key + ": " + file + " holds no PEM certificate (BEGIN CERTIFICATE)");
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + ": " + file + " holds an invalid certificate", e);
        }
    }

    private static PrivateKey privateKey(Path file, String algorithm, String key) {
        List<byte[]> pkcs8 = blocks(file, key, "PRIVATE KEY");
        if (pkcs8.size() != 1) {
            throw new IllegalArgumentException(
                    key + ": " + file + " must hold one unencrypted PKCS#8 key (BEGIN PRIVATE"
                            + " KEY); convert others with: openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8.get(0)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    key + ": " + file + " is not a " + algorithm + " private key matching the certificate", e);
        }
    }

    private static List<byte[]> blocks(Path file, String key, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    key + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        var out = new ArrayList<byte[]>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                try {
                    out.add(Base64.getMimeDecoder().decode(m.group(2)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            key + ": " + file + " has a " + type + " block that is not base64");
                }
            }
        }
        return out;
    }

    private static boolean belongTogether(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
