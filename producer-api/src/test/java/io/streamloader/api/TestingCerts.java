package io.streamloader.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made for a test with the JDK's {@code keytool} (no library): a CA, a server certificate for {@code
 * 127.0.0.1}/{@code localhost} (self-signed), a client certificate signed by the CA, and an unrelated key. PEM files for
 * the server side, key stores for the client side.
 */
final class TestingCerts {

    static final String PASSWORD = "changeit";
    final Path dir;
    final Path serverCert;
    final Path serverKey;
    final Path caCert;
    final Path otherKey;
    final Path otherCert;
    final Path clientStore;
    final Path serverStore;

    private TestingCerts(Path dir) {
        this.dir = dir;
        serverCert = dir.resolve("server.crt");
        serverKey = dir.resolve("server.key");
        caCert = dir.resolve("ca.crt");
        otherKey = dir.resolve("other.key");
        otherCert = dir.resolve("other.crt");
        clientStore = dir.resolve("client.p12");
        serverStore = dir.resolve("server.p12");
    }

    static TestingCerts create(Path dir) throws Exception {
        var c = new TestingCerts(dir);
        c.keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=test-ca",
                "-ext",
                "bc:c",
                "-validity",
                "2",
                "-keystore",
                "ca.p12");
        c.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.crt");
        c.keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                "server.p12");
        c.keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", "server.p12", "-file", "server.crt");
        c.pemKey("server.p12", "server", c.serverKey);
        c.keytool(
                "-genkeypair",
                "-alias",
                "other",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=other",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                "other.p12");
        c.keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", "other.p12", "-file", "other.crt");
        c.pemKey("other.p12", "other", c.otherKey);
        c.keytool(
                "-genkeypair",
                "-alias",
                "client",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=client",
                "-validity",
                "2",
                "-keystore",
                "client.p12");
        c.keytool("-certreq", "-alias", "client", "-keystore", "client.p12", "-file", "client.csr");
        c.keytool(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-infile",
                "client.csr",
                "-outfile",
                "client.crt",
                "-rfc",
                "-validity",
                "2");
        c.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", "client.p12");
        c.keytool("-importcert", "-noprompt", "-alias", "client", "-file", "client.crt", "-keystore", "client.p12");
        return c;
    }

    /** A client context trusting the server (and the other) certificate, presenting the CA-signed client certificate or none. */
    SSLContext client(boolean presentCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate(serverCert));
        trust.setCertificateEntry("other", certificate(otherCert));
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (presentCertificate) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(clientStore)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            ks.deleteEntry("ca"); // only the client's own entry
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private void pemKey(String store, String alias, Path out) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(store))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey(alias, PASSWORD.toCharArray());
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded());
        Files.writeString(out, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
    }

    /** The first certificate of a PEM file. */
    static Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
