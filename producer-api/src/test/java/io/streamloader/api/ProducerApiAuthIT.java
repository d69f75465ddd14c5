package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamloader.core.config.ConfigException;
import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.KeySecret;
import io.streamloader.core.config.TlsFiles;
import io.streamloader.devstack.DevStackExtension;
import io.streamloader.devstack.KafkaService;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secure defaults against the devstack broker on real ports: loopback binding without keys, keys required elsewhere,
 * 401/403/404, hashed keys, Bearer and X-API-Key, TLS and mutual TLS with certificates made here, the per-key rate
 * limit and tenant pins, checked in what Kafka holds.
 */
@ExtendWith(DevStackExtension.class)
class ProducerApiAuthIT {

    private static final String WRITER = "writer-key-0123456789";
    private static final String ACME = "acme-key-0123456789ab";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};

    @TempDir
    static Path certsDir;

    static TestingCerts certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestingCerts.create(certsDir);
    }

    @Test
    void withoutKeysTheApiBindsLoopbackOnlyAndSaysSo(KafkaService kafka) throws Exception {
        String topic = "auth-default-" + System.nanoTime();
        kafka.createTopic(topic, 1);
        var config = ApiConfig.from(Map.of("port", 0, "topics", List.of(topic)));
        assertThat(config.host()).isEqualTo("127.0.0.1");
        Javalin app = start(config, kafka);
        try {
            InetSocketAddress bound = boundAddress(app);
            assertThat(bound.getAddress().isLoopbackAddress()).isTrue();
            assertThat(send(plain(), "http", InetAddress.getLoopbackAddress(), app.port(), topic, Map.of())
                            .statusCode())
                    .isEqualTo(200);
            InetAddress external = externalAddress();
            assertThatThrownBy(() -> send(plain(), "http", external, app.port(), topic, Map.of()))
                    .isInstanceOf(ConnectException.class);
        } finally {
            app.stop();
        }
    }

    @Test
    void aNonLoopbackHostWithoutKeysIsAStartupErrorNamingTheKey() {
        assertThatThrownBy(() -> ApiConfig.from(Map.of("host", "0.0.0.0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("api.host")
                .hasMessageContaining("api.keys")
                .hasMessageContaining("api.allow-unauthenticated");
        assertThatThrownBy(() -> ApiConfig.from(ConfigLoader.parse("api: { host: '::' }", Map.of())))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .asString()
                                .contains("api.host: :: is not a loopback address"));
    }

    @Test
    void elsewhereEveryRequestNeedsAKeyScopedToItsTopic(KafkaService kafka) throws Exception {
        String s = "-" + System.nanoTime();
        String clicks = "auth-clicks" + s;
        String hidden = "auth-hidden" + s;
        kafka.createTopic(clicks, 1);
        kafka.createTopic(hidden, 1);
        String hashed = "sha256:" + HexFormat.of().formatHex(KeySecret.sha256(WRITER));
        var config = ApiConfig.from(Map.of(
                "host",
                "0.0.0.0",
                "port",
                0,
                "routes",
                Map.of(),
                "topics",
                List.of(clicks, hidden),
                "keys",
                Map.of("writer", Map.of("key", hashed, "topics", List.of(clicks)))));
        Javalin app = start(config, kafka);
        try {
            InetAddress external = externalAddress();
            var http = plain();
            var none = send(http, "http", external, app.port(), clicks, Map.of());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(none.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(send(http, "http", external, app.port(), clicks, Map.of("X-API-Key", hashed))
                            .statusCode())
                    .as("the configured hash is not itself a key")
                    .isEqualTo(401);
            assertThat(send(http, "http", external, app.port(), hidden, Map.of("X-API-Key", WRITER))
                            .statusCode())
                    .isEqualTo(403);
            var unknown = send(http, "http", external, app.port(), "nope", Map.of("X-API-Key", WRITER));
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains(clicks).doesNotContain(hidden);
            assertThat(send(http, "http", external, app.port(), clicks, Map.of("X-API-Key", WRITER))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(send(http, "http", external, app.port(), clicks, Map.of("Authorization", "Bearer " + WRITER))
                            .statusCode())
                    .isEqualTo(200);
            assertThat(TestingConsumer.count(kafka.bootstrapServers(), clicks)).isEqualTo(2);
            assertThat(TestingConsumer.count(kafka.bootstrapServers(), hidden)).isZero();
        } finally {
            app.stop();
        }
    }

    @Test
    void tlsFromPemFilesServesHttpsOnly(KafkaService kafka) throws Exception {
        String topic = "auth-tls-" + System.nanoTime();
        kafka.createTopic(topic, 1);
        var config = ApiConfig.from(Map.of("port", 0, "topics", List.of(topic)))
                .withSecurity(new ApiSecurity(
                        List.of(),
                        false,
                        Optional.of(new TlsFiles(certs.serverCert, certs.serverKey, Optional.empty(), "api.tls"))));
        Javalin app = start(config, kafka);
        try {
            assertThat(app.jettyServer().server().getConnectors()).hasSize(1);
            var https = HttpClient.newBuilder().sslContext(certs.client(false)).build();
            var ok = send(https, "https", InetAddress.getLoopbackAddress(), app.port(), topic, Map.of());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.sslSession()).hasValueSatisfying(session -> {
                try {
                    assertThat(session.getPeerCertificates()[0]).isEqualTo(TestingCerts.certificate(certs.serverCert));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThatThrownBy(
                            () -> send(plain(), "http", InetAddress.getLoopbackAddress(), app.port(), topic, Map.of()))
                    .isInstanceOf(IOException.class);
            assertThat(TestingConsumer.count(kafka.bootstrapServers(), topic)).isEqualTo(1);
        } finally {
            app.stop();
        }
    }

    @Test
    void renewedPemFilesReachNewConnectionsWithoutARestart(KafkaService kafka, @TempDir Path dir) throws Exception {
        String topic = "auth-reload-" + System.nanoTime();
        kafka.createTopic(topic, 1);
        Path cert = java.nio.file.Files.copy(certs.serverCert, dir.resolve("live.crt"));
        Path key = java.nio.file.Files.copy(certs.serverKey, dir.resolve("live.key"));
        var config = ApiConfig.from(Map.of("port", 0, "topics", List.of(topic)))
                .withSecurity(new ApiSecurity(
                        List.of(),
                        false,
                        Optional.of(new TlsFiles(cert, key, Optional.empty(), "api.tls", Duration.ofMillis(100)))));
        Javalin app = start(config, kafka);
        try {
            assertThat(peerCertificate(app.port())).isEqualTo(TestingCerts.certificate(certs.serverCert));
            java.nio.file.Files.copy(certs.otherKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.Files.copy(certs.otherCert, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(peerCertificate(app.port()))
                            .isEqualTo(TestingCerts.certificate(certs.otherCert)));
        } finally {
            app.stop();
        }
    }

    /** The certificate a new connection is shown (a new client each time, so no connection is reused). */
    private static java.security.cert.Certificate peerCertificate(int port) throws Exception {
        var client = HttpClient.newBuilder().sslContext(certs.client(false)).build();
        var response = client.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/health/live"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    @Test
    void mutualTlsRefusesClientsWithoutACertificateFromTheClientCa(KafkaService kafka) throws Exception {
        String topic = "auth-mtls-" + System.nanoTime();
        kafka.createTopic(topic, 1);
        var config = ApiConfig.from(Map.of("port", 0, "topics", List.of(topic)))
                .withSecurity(new ApiSecurity(
                        List.of(),
                        false,
                        Optional.of(new TlsFiles(
                                certs.serverCert, certs.serverKey, Optional.of(certs.caCert), "api.tls"))));
        Javalin app = start(config, kafka);
        try {
            var anonymous =
                    HttpClient.newBuilder().sslContext(certs.client(false)).build();
            assertThatThrownBy(() ->
                            send(anonymous, "https", InetAddress.getLoopbackAddress(), app.port(), topic, Map.of()))
                    .isInstanceOf(IOException.class);
            var withCertificate =
                    HttpClient.newBuilder().sslContext(certs.client(true)).build();
            assertThat(send(withCertificate, "https", InetAddress.getLoopbackAddress(), app.port(), topic, Map.of())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(TestingConsumer.count(kafka.bootstrapServers(), topic)).isEqualTo(1);
        } finally {
            app.stop();
        }
    }

    @Test
    void tlsMistakesAreStartupErrorsNamingTheKey(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Tls.load(new TlsFiles(certs.serverCert, certs.otherKey, Optional.empty(), "api.tls")))
                .hasMessageStartingWith("api.tls.key:")
                .hasMessageContaining("is not the private key of the certificate");
        assertThatThrownBy(() -> Tls.load(new TlsFiles(certs.serverKey, certs.serverKey, Optional.empty(), "api.tls")))
                .hasMessageStartingWith("api.tls.cert:");
        Path pkcs1 = java.nio.file.Files.writeString(
                dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> Tls.load(new TlsFiles(certs.serverCert, pkcs1, Optional.empty(), "admin.tls")))
                .hasMessageStartingWith("admin.tls.key:")
                .hasMessageContaining("openssl pkcs8 -topk8");
        String yaml = "api:\n  tls: { cert: '%s', key: '%s' }\n".formatted(certs.serverCert, certs.otherKey);
        assertThatThrownBy(() -> ApiConfig.from(ConfigLoader.parse(yaml, Map.of())))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems()).singleElement().asString().contains("api.tls.key:"));
    }

    @Test
    void aKeysRateAndPinsHoldOnTheWire(KafkaService kafka) throws Exception {
        String topic = "auth-images-" + System.nanoTime();
        kafka.createTopic(topic, 1);
        var config = ApiConfig.from(Map.of("port", 0, "routes", Map.of(), "topics", List.of(topic)))
                .withSecurity(new ApiSecurity(
                        List.of(new ApiKey(
                                "acme", KeySecret.parse(ACME), Set.of(topic), Map.of("customer_id", "acme"), 1, 3)),
                        false,
                        Optional.empty()));
        Javalin app = start(config, kafka);
        try {
            var http = plain();
            var loopback = InetAddress.getLoopbackAddress();
            var key = Map.of("X-API-Key", ACME);
            var refused = blob(http, app.port(), topic + "?customer_id=globex&uuid=u0", key);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("\"field\":\"customer_id\"");
            assertThat(blob(http, app.port(), topic + "?uuid=u1", key).statusCode())
                    .isEqualTo(200);
            // one token per second, at most three at once: of five quick requests some find the bucket empty
            int accepted = 1;
            HttpResponse<String> limited = null;
            for (int i = 2; i <= 6; i++) {
                var r = blob(http, app.port(), topic + "?uuid=u" + i, key);
                if (r.statusCode() == 200) {
                    accepted++;
                } else {
                    assertThat(r.statusCode()).isEqualTo(429);
                    limited = r;
                }
            }
            assertThat(limited).isNotNull();
            assertThat(limited.headers().firstValue("Retry-After"))
                    .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
            assertThat(limited.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            var records = TestingConsumer.readAll(kafka.bootstrapServers(), topic, accepted);
            assertThat(records).hasSize(accepted);
            assertThat(records)
                    .allSatisfy(r ->
                            assertThat(TestingApi.header(r, "meta.customer_id")).isEqualTo("acme"));
            assertThat(TestingApi.header(records.get(0), "meta.uuid")).isEqualTo("u1");
            assertThat(loopback.isLoopbackAddress()).isTrue();
        } finally {
            app.stop();
        }
    }

    private static Javalin start(ApiConfig config, KafkaService kafka) {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Javalin app = ProducerApi.connect(config, Map.of("bootstrap.servers", kafka.bootstrapServers()), registry)
                .create();
        app.start();
        return app;
    }

    private static InetSocketAddress boundAddress(Javalin app) throws IOException {
        var connector = (ServerConnector) app.jettyServer().server().getConnectors()[0];
        return (InetSocketAddress) ((ServerSocketChannel) connector.getTransport()).getLocalAddress();
    }

    private static HttpClient plain() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> send(
            HttpClient client, String scheme, InetAddress to, int port, String topic, Map<String, String> headers)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(
                        URI.create(scheme + "://" + to.getHostAddress() + ":" + port + "/topics/" + topic))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> blob(
            HttpClient client, int port, String pathAndQuery, Map<String, String> headers)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/topics/" + pathAndQuery))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(PNG));
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An IPv4 address of this machine that is not loopback; the test is skipped on a machine without one. */
    private static InetAddress externalAddress() throws IOException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : nic.inetAddresses().toList()) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                        return a;
                    }
                }
            }
        }
        Assumptions.abort("no non-loopback IPv4 address on this machine");
        return null;
    }
}
