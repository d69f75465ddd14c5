package io.streamloader.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BindAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"})
    void loopback(String host) {
        assertThat(BindAddress.isLoopback(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "[::]", "10.0.0.1", "192.168.1.1", "", " ", "no-such-host.invalid"})
    void notLoopback(String host) {
        assertThat(BindAddress.isLoopback(host)).isFalse();
    }
}
