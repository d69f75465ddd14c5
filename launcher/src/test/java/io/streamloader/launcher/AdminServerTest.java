package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamloader.core.config.AdminSettings;
import io.streamloader.core.config.KeySecret;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class AdminServerTest {

    private static final String READER = "reader-key-0123456789";
    private static final String REPLAYER = "replay-key-0123456789";
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theReadinessChecksRunAtTheSameTimeAndAnswerInOrder() {
        // each check answers only once every check has started: one after another, the first would give up
        CountDownLatch started = new CountDownLatch(4);
        List<Supplier<String>> checks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "store-" + i;
            checks.add(() -> {
                started.countDown();
                try {
                    return started.await(10, TimeUnit.SECONDS) ? name : name + " waited alone";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return name + " interrupted";
                }
            });
        }

        assertThat(AdminServer.all(checks)).containsExactly("store-0", "store-1", "store-2", "store-3");
    }

    @Test
    void aFloodOf500ConcurrentReadinessRequestsCausesAHandfulOfProbes() throws Exception {
        var probes = new AtomicInteger();
        var inFlight = new AtomicInteger();
        var maxInFlight = new AtomicInteger();
        var release = new CountDownLatch(1);
        Supplier<String> slowKafka = () -> { // a fake probe that answers only once the flood is in
            probes.incrementAndGet();
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            return "";
        };
        long floodStart = System.nanoTime();
        try (var admin = server(new AdminSettings(true, "127.0.0.1", 0), slowKafka);
                var pool = Executors.newFixedThreadPool(50)) {
            admin.start();
            var codes = new ArrayList<Future<Integer>>();
            for (int i = 0; i < 500; i++) {
                codes.add(pool.submit(
                        () -> get(admin, "/health/ready", Optional.empty()).statusCode()));
            }
            org.awaitility.Awaitility.await().until(() -> probes.get() >= 1);
            release.countDown();
            for (Future<Integer> code : codes) {
                assertThat(code.get()).isEqualTo(200);
            }
        }
        long floodSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - floodStart);
        // never two probes at once, and at most one per health-cache period (1 s) of the flood, however busy the box
        assertThat(maxInFlight.get()).isEqualTo(1);
        assertThat(probes.get()).isBetween(1, (int) floodSeconds + 2);
    }

    @Test
    void byDefaultItBindsLoopbackAndServesEverythingThere() throws Exception {
        try (var admin = server(new AdminSettings(true, "127.0.0.1", 0), () -> "")) {
            admin.start();
            assertThat(admin.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(get(admin, "/metrics", Optional.empty()).statusCode()).isEqualTo(200);
            assertThat(get(admin, "/health/ready", Optional.empty()).body()).contains("\"kafka\":\"UP\"");
        }
    }

    @Test
    void withKeysMetricsNeedsScopeReadAndStrangersGetABareStatus() throws Exception {
        var settings = new AdminSettings(
                true,
                "0.0.0.0",
                0,
                List.of(
                        new AdminSettings.Key("prom", KeySecret.parse(READER), Set.of(AdminSettings.Scope.READ)),
                        new AdminSettings.Key("ops", KeySecret.parse(REPLAYER), Set.of(AdminSettings.Scope.REPLAY))),
                false,
                Optional.empty(),
                Duration.ofSeconds(1));
        try (var admin = server(settings, () -> "broker down: node 1 at 10.0.0.7:9092")) {
            admin.start();
            var missing = get(admin, "/metrics", Optional.empty());
            assertThat(missing.statusCode()).isEqualTo(401);
            assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(get(admin, "/metrics", Optional.of("wrong-key-0123456789"))
                            .statusCode())
                    .isEqualTo(401);
            assertThat(get(admin, "/metrics", Optional.of(REPLAYER)).statusCode())
                    .isEqualTo(403);
            assertThat(get(admin, "/metrics", Optional.of(READER)).statusCode()).isEqualTo(200);
            assertThat(get(admin, "/health/live", Optional.empty()).statusCode())
                    .isEqualTo(200);

            // a caller from another address sees only the status unless its key has scope read
            InetAddress external = externalAddress();
            var bare = get(admin, external, "/health/ready", Optional.empty());
            assertThat(bare.statusCode()).isEqualTo(503);
            assertThat(bare.body()).isEqualTo("{\"status\":\"DOWN\"}");
            assertThat(get(admin, external, "/health/ready", Optional.of(REPLAYER))
                            .body())
                    .isEqualTo("{\"status\":\"DOWN\"}");
            assertThat(get(admin, external, "/health/ready", Optional.of(READER))
                            .body())
                    .contains("10.0.0.7");
            assertThat(get(admin, "/health/ready", Optional.empty()).body()).contains("10.0.0.7"); // loopback
        }
    }

    @Test
    void withTlsItServesHttpsFromPemFilesAndRefusesPlainHttp(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                "admin",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                "admin.p12");
        keytool(dir, "-exportcert", "-rfc", "-alias", "admin", "-keystore", "admin.p12", "-file", "admin.crt");
        var store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(dir.resolve("admin.p12"))) {
            store.load(in, "changeit".toCharArray());
        }
        byte[] pkcs8 = store.getKey("admin", "changeit".toCharArray()).getEncoded();
        java.nio.file.Files.writeString(
                dir.resolve("admin.key"),
                "-----BEGIN PRIVATE KEY-----\n"
                        + java.util.Base64.getMimeEncoder().encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
        var tls = new io.streamloader.core.config.TlsFiles(
                dir.resolve("admin.crt"), dir.resolve("admin.key"), Optional.empty(), "admin.tls");
        var settings = new AdminSettings(true, "127.0.0.1", 0, List.of(), false, Optional.of(tls), Duration.ZERO);
        try (var admin = server(settings, () -> "")) {
            admin.start();
            var trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("admin", store.getCertificate("admin"));
            var tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            var context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            var https = HttpClient.newBuilder().sslContext(context).build();
            var response = https.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + admin.port() + "/health/live"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.sslSession()).isPresent();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> get(admin, "/health/live", Optional.empty()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    private static void keytool(java.nio.file.Path dir, String... args) throws Exception {
        var command = new ArrayList<String>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", "changeit", "-storetype", "PKCS12"));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0)
                .as(output)
                .isTrue();
    }

    private static AdminServer server(AdminSettings settings, Supplier<String> kafka) throws Exception {
        return new AdminServer(
                settings,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(),
                List.of(),
                kafka,
                java.util.Map.of("bootstrap.servers", "127.0.0.1:9"));
    }

    private HttpResponse<String> get(AdminServer admin, String path, Optional<String> key) throws Exception {
        return get(admin, InetAddress.getLoopbackAddress(), path, key);
    }

    private HttpResponse<String> get(AdminServer admin, InetAddress to, String path, Optional<String> key)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://" + to.getHostAddress() + ":" + admin.port() + path))
                .timeout(Duration.ofSeconds(20));
        key.ifPresent(k -> request.header("Authorization", "Bearer " + k));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An IPv4 address of this machine that is not loopback; the test is skipped on a machine without one. */
    static InetAddress externalAddress() throws Exception {
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
