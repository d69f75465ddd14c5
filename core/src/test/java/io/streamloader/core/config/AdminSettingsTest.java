package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminSettingsTest {

    @Test
    void defaults() {
        assertThat(ConfigLoader.parse("{}", Map.of()).admin()).isEqualTo(AdminSettings.DEFAULT);
        assertThat(AdminSettings.DEFAULT).isEqualTo(new AdminSettings(true, "0.0.0.0", 8081));
    }

    @Test
    void everyKeyMapped() {
        StreamloaderConfig config = ConfigLoader.parse("""
                admin:
                  enabled: false
                  host: 127.0.0.1
                  port: 9999
                """, Map.of());
        assertThat(config.admin()).isEqualTo(new AdminSettings(false, "127.0.0.1", 9999));
    }

    @Test
    void badPortNamesItsKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.parse("admin: { port: 70000 }", Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class,
                        e -> assertThat(e.problems()).singleElement().asString().startsWith("admin.port:"));
    }
}
