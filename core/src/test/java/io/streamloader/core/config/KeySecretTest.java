package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeySecretTest {

    private static final String SECRET = "correct-horse-battery-staple";

    @Test
    void clearKeyMatchesOnlyItself() {
        KeySecret key = KeySecret.parse(SECRET);
        assertThat(key.matches(SECRET)).isTrue();
        assertThat(key.matches(SECRET + "x")).isFalse();
        assertThat(key.matches(SECRET.substring(1))).isFalse();
        assertThat(key.matches("")).isFalse();
        assertThat(key.matches(SECRET.toUpperCase())).isFalse();
    }

    @Test
    void hashedKeyMatchesTheSecretItWasMadeFrom() {
        String hex = HexFormat.of().formatHex(KeySecret.sha256(SECRET));
        KeySecret key = KeySecret.parse("sha256:" + hex.toUpperCase());
        assertThat(key.matches(SECRET)).isTrue();
        assertThat(key.matches("sha256:" + hex)).isFalse(); // the hash itself is not the key
        assertThat(key).isEqualTo(KeySecret.parse(SECRET));
        assertThat(key.hashed()).isEqualTo("sha256:" + hex);
    }

    @Test
    void surroundingWhitespaceIsIgnoredAsInAKeyFile() {
        assertThat(KeySecret.parse("  " + SECRET + "\n").matches(SECRET)).isTrue();
    }

    @Test
    void shortOrMalformedKeysAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> KeySecret.parse("short-secret"))
                .hasMessageContaining("at least 16")
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> KeySecret.parse("sha256:abc")).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> KeySecret.parse("sha256:" + "zz".repeat(32))).hasMessageContaining("64 hex");
    }

    @Test
    void toStringNeverShowsTheDigest() {
        assertThat(KeySecret.parse(SECRET).toString()).isEqualTo("KeySecret[****]");
    }
}
