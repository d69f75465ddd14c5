package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamloader.core.config.AdminSettings;
import io.streamloader.core.config.TlsFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint with {@code admin.tls} and a {@code client-ca}, on a real port with certificates made here by
 * {@code keytool} (PEM files for the server, as an operator would write them): a client without a certificate and one
 * whose certificate another CA signed are refused during the handshake; one with a certificate the client CA signed is
 * served.
 */
class AdminMutualTlsIT {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=admin-ca",
                "-ext",
                "bc:c",
                "-validity",
                "2",
                "-keystore",
                "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.crt");
        keytool(
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
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", "server.p12", "-file", "server.crt");
        pemKey("server.p12", "server", dir.resolve("server.key"));
        // an operator's client, signed by the client CA
        keytool(
                "-genkeypair",
                "-alias",
                "client",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=prometheus",
                "-validity",
                "2",
                "-keystore",
                "client.p12");
        keytool("-certreq", "-alias", "client", "-keystore", "client.p12", "-file", "client.csr");
        keytool(
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
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", "client.p12");
        keytool("-importcert", "-noprompt", "-alias", "client", "-file", "client.crt", "-keystore", "client.p12");
        // a stranger with a certificate of its own making
        keytool(
                "-genkeypair",
                "-alias",
                "stranger",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=stranger",
                "-validity",
                "2",
                "-keystore",
                "stranger.p12");
    }

    @Test
    void withAClientCaOnlyClientsWithACertificateItSignedAreServed() throws Exception {
        var tls = new TlsFiles(
                dir.resolve("server.crt"), dir.resolve("server.key"), Optional.of(dir.resolve("ca.crt")), "admin.tls");
        var settings = new AdminSettings(true, "127.0.0.1", 0, List.of(), false, Optional.of(tls), Duration.ZERO);
        try (var admin = new AdminServer(
                settings,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(),
                List.of(),
                () -> "",
                java.util.Map.of(
                        "bootstrap.servers", "127.0.0.1:9"))) { // no broker: the console's DLQ reads are unused
            admin.start();
            URI live = URI.create("https://127.0.0.1:" + admin.port() + "/health/live");
            URI metrics = URI.create("https://127.0.0.1:" + admin.port() + "/metrics");

            assertThatThrownBy(() -> get(client(Optional.empty()), live))
                    .as("no client certificate")
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> get(client(Optional.of("stranger.p12")), live))
                    .as("a certificate the client CA did not sign")
                    .isInstanceOf(IOException.class);

            var signed = client(Optional.of("client.p12"));
            HttpResponse<String> ok = get(signed, live);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(ok.sslSession()).isPresent();
            assertThat(ok.sslSession().get().getLocalCertificates())
                    .as("the certificate the client presented")
                    .isNotEmpty();
            assertThat(get(signed, metrics).statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A client trusting the server's certificate and presenting the key store's own entry, or no certificate. */
    private static HttpClient client(Optional<String> keyStore) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("server.crt"))) {
            trust.setCertificateEntry(
                    "server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (keyStore.isPresent()) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(keyStore.get()))) {
                ks.load(in, PASSWORD.toCharArray());
            }
            if (ks.containsAlias("ca")) {
                ks.deleteEntry("ca"); // only the client's own key entry
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder()
                .sslContext(context)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static void pemKey(String store, String alias, Path out) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(store))) {
            ks.load(in, PASSWORD.toCharArray());
        }
        byte[] pkcs8 = ks.getKey(alias, PASSWORD.toCharArray()).getEncoded();
        Files.writeString(
                out,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(pkcs8)
                        + "\n-----END PRIVATE KEY-----\n");
    }

    private static void keytool(String... args) throws Exception {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0)
                .as("keytool %s: %s", String.join(" ", args), output)
                .isTrue();
    }
}
