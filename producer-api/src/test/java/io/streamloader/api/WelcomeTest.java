package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WelcomeTest {

    @Test
    void theHostNameIsTakenFromAPlainHostHeaderOnly() {
        assertThat(Welcome.hostName("ops.example.com:8080")).isEqualTo("ops.example.com");
        assertThat(Welcome.hostName("10.0.0.7")).isEqualTo("10.0.0.7");
        assertThat(Welcome.hostName("[::1]:8080")).isEqualTo("[::1]");
        assertThat(Welcome.hostName("\"><script>alert(1)</script>")).isEqualTo("localhost");
        assertThat(Welcome.hostName("evil.com/path?x=1")).isEqualTo("localhost");
        assertThat(Welcome.hostName(null)).isEqualTo("localhost");
        assertThat(Welcome.hostName("")).isEqualTo("localhost");
    }

    @Test
    void markupInTheUrlIsEscaped() {
        assertThat(Welcome.escape("http://h/\"><script>'&")).isEqualTo("http://h/&quot;&gt;&lt;script&gt;&#39;&amp;");
    }
}
