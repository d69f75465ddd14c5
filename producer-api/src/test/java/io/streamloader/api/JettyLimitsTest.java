package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** The connection cap of {@link JettyLimits}: past it, a new connection is not served until one closes. */
class JettyLimitsTest {

    private static final byte[] LIVE =
            "GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void connectionsPastTheCapWaitUntilOneCloses() {
        var limits = new RequestLimits(5000, 1000, 64, 2, Duration.ofSeconds(30), 0);
        var api = new TestingApi(TestingApi.config().withLimits(limits), true);
        api.run((server, client) -> {
            var held = new ArrayList<Socket>();
            try {
                for (int i = 0; i < 2; i++) {
                    var s = new Socket("127.0.0.1", server.port());
                    // a started request keeps the connection busy
                    s.getOutputStream().write("GET /health/live HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                    held.add(s);
                }
                try (var third = new Socket("127.0.0.1", server.port())) {
                    third.setSoTimeout(1500);
                    third.getOutputStream().write(LIVE);
                    boolean served;
                    try {
                        served = third.getInputStream().read() >= 0;
                    } catch (SocketTimeoutException e) {
                        served = false;
                    }
                    assertThat(served)
                            .as("a third connection is served while two are held")
                            .isFalse();
                    held.remove(0).close();
                    third.setSoTimeout(10_000);
                    String reply = new String(third.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertThat(reply).contains(" 200 ");
                }
            } finally {
                for (Socket s : held) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        // closing a test socket
                    }
                }
            }
        });
    }
}
