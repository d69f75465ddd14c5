package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaskerTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "password",
                "auth.password",
                "ssl.key.password",
                "sasl.jaas.config",
                "auth.api-key",
                "api_key",
                "apiKey",
                "access-token",
                "secret-key",
                "client.credentials",
                "db.passwd",
                "tls.private-key"
            })
    void genericPatternsMask(String key) {
        assertThat(SecretMasker.generic().isSecret(key)).isTrue();
        assertThat(SecretMasker.generic().mask(key, "hunter2")).isEqualTo(SecretMasker.MASK);
    }

    @ParameterizedTest
    @ValueSource(strings = {"urls", "auth.username", "index", "security.protocol", "bucket"})
    void ordinaryKeysShow(String key) {
        assertThat(SecretMasker.generic().mask(key, "v")).isEqualTo("v");
    }

    @Test
    void factorySecretKeysAreMaskedExactly() {
        SecretMasker masker = SecretMasker.withKeys(Set.of("s3.access-key", "dsn"));
        Map<String, String> config = new LinkedHashMap<>();
        config.put("dsn", "postgres://u:p@h/db");
        config.put("s3.access-key", "AKIA");
        config.put("s3.bucket", "b");
        config.put("s3.secret-key", "shh");
        assertThat(masker.mask(config))
                .containsExactly(
                        entry("dsn", "****"),
                        entry("s3.access-key", "****"),
                        entry("s3.bucket", "b"),
                        entry("s3.secret-key", "****"));
    }

    /** {@code config check} prints sink configs through the masker: a password inside any sink's URL never shows. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:postgresql://db:5432/app?user=sl&password=hunter2",
                "jdbc:postgresql://sl:hunter2@db:5432/app",
                "mongodb://sl:hunter2@db1:27017,db2:27017/app",
                "http://elastic:hunter2@es:9200",
                "http://es:9200/?api_key=hunter2"
            })
    void passwordsInsideUrlsAreMaskedUnderAnyKey(String url) {
        String printed = SecretMasker.withKeys(Set.of())
                .mask(Map.of("jdbc.url", url, "urls", url))
                .toString();
        assertThat(printed).doesNotContain("hunter2").contains("****");
    }
}
