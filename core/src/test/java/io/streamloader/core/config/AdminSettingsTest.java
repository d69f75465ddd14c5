package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminSettingsTest {

    @Test
    void defaultsBindLoopbackWithoutKeys() {
        assertThat(ConfigLoader.parse("{}", Map.of()).admin()).isEqualTo(AdminSettings.DEFAULT);
        assertThat(AdminSettings.DEFAULT).isEqualTo(new AdminSettings(true, "127.0.0.1", 8081));
        assertThat(AdminSettings.DEFAULT.keys()).isEmpty();
        assertThat(AdminSettings.DEFAULT.allowUnauthenticated()).isFalse();
        assertThat(AdminSettings.DEFAULT.tls()).isEmpty();
        assertThat(AdminSettings.DEFAULT.healthCache()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void everyKeyMapped(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        Path key = Files.writeString(dir.resolve("k.pem"), "x");
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        Path keyFile = Files.writeString(dir.resolve("admin.key"), "from-a-file-0123456789\n");
        StreamloaderConfig config =
                ConfigLoader.parse("""
                admin:
                  enabled: false
                  host: 0.0.0.0
                  port: 9999
                  allow-unauthenticated: false
                  health-cache: 2s
                  keys:
                    prom: { key: 'sha256:%s', scopes: [read] }
                    ops: { key-file: '%s', scopes: [read, replay] }
                  tls: { cert: '%s', key: '%s', client-ca: '%s' }
                """.formatted("ab".repeat(32), keyFile, cert, key, ca), Map.of());
        AdminSettings admin = config.admin();
        assertThat(admin.enabled()).isFalse();
        assertThat(admin.host()).isEqualTo("0.0.0.0");
        assertThat(admin.port()).isEqualTo(9999);
        assertThat(admin.healthCache()).isEqualTo(Duration.ofSeconds(2));
        assertThat(admin.keys()).extracting(AdminSettings.Key::name).containsExactly("prom", "ops");
        assertThat(admin.keys().get(0).secret().hashed()).isEqualTo("sha256:" + "ab".repeat(32));
        assertThat(admin.keys().get(0).scopes()).containsExactly(AdminSettings.Scope.READ);
        assertThat(admin.keys().get(1).secret().matches("from-a-file-0123456789"))
                .isTrue();
        assertThat(admin.keys().get(1).scopes())
                .isEqualTo(Set.of(AdminSettings.Scope.READ, AdminSettings.Scope.REPLAY));
        assertThat(admin.tls()).contains(new TlsFiles(cert, key, java.util.Optional.of(ca), "admin.tls"));
        assertThat(admin.toString()).doesNotContain("from-a-file").contains("prom");
    }

    @Test
    void nonLoopbackHostWithoutKeysIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.parse("admin: { host: 0.0.0.0 }", Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .asString()
                                .startsWith("admin.host:")
                                .contains("admin.keys")
                                .contains("admin.allow-unauthenticated"));
    }

    @Test
    void nonLoopbackHostIsAllowedWithKeysOrTheExplicitOptOut() {
        assertThat(ConfigLoader.parse("admin: { host: 0.0.0.0, allow-unauthenticated: true }", Map.of())
                        .admin()
                        .host())
                .isEqualTo("0.0.0.0");
        assertThat(ConfigLoader.parse(
                                "admin: { host: 0.0.0.0, keys: { a: { key: 'a-long-enough-admin-key' } } }", Map.of())
                        .admin()
                        .authenticationEnabled())
                .isTrue();
        // a disabled endpoint binds nothing, so it needs no keys
        assertThat(ConfigLoader.parse("admin: { enabled: false, host: 0.0.0.0 }", Map.of())
                        .admin()
                        .enabled())
                .isFalse();
    }

    @Test
    void badKeysAndScopesAndTlsFilesNameTheirKeys() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                        admin:
                          keys:
                            short: { key: tiny }
                            both: { key: 'a-long-enough-admin-key', key-file: /x }
                            scope: { key: 'a-long-enough-admin-key', scopes: [write] }
                            missing: { key-file: /nonexistent/admin.key }
                          tls: { cert: /nonexistent/c.pem }
                        """, Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems())
                                .anySatisfy(p -> assertThat(p).startsWith("admin.keys.short.key:"))
                                .anySatisfy(p -> assertThat(p).startsWith("admin.keys.both.key:"))
                                .anySatisfy(p -> assertThat(p).startsWith("admin.keys.scope.scopes:"))
                                .anySatisfy(p -> assertThat(p).startsWith("admin.keys.missing.key-file:"))
                                .anySatisfy(p -> assertThat(p).startsWith("admin.tls.cert:"))
                                .anySatisfy(p -> assertThat(p).startsWith("admin.tls.key:"))
                                .noneSatisfy(p -> assertThat(p).contains("tiny")));
    }

    @Test
    void badPortNamesItsKey() {
        assertThatThrownBy(() -> ConfigLoader.parse("admin: { port: 70000 }", Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems()).singleElement().asString().startsWith("admin.port:"));
    }
}
