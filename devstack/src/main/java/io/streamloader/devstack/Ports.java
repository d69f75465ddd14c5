package io.streamloader.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port helpers. Every service binds the loopback address only, so nothing here is reachable from outside. */
final class Ports {

    static final String HOST = "127.0.0.1";

    private Ports() {}

    /**
     * Returns {@code port} after checking that it can be bound, or a free port when {@code port} is 0. A free port
     * can still be taken by someone else before the service binds it; services whose port must be known before
     * they start (Kafka, Elasticsearch, s3proxy) accept that small window.
     */
    static int claim(String service, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(service + ": port must be 0 (free) or 1-65535, got " + port);
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new DevStackException(
                    service + ": port " + port + " on " + HOST + " is already in use (" + e.getMessage()
                            + "); stop whatever listens there or choose another port",
                    e);
        }
    }
}
