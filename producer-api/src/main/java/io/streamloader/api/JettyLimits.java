package io.streamloader.api;

import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.NetworkConnectionLimit;

/**
 * The connection-level bounds of {@link RequestLimits} on Javalin's Jetty: idle timeout (a silent sender is cut
 * instead of holding a thread and a buffer), a cap on open connections (further ones wait in the kernel's accept
 * queue), and {@link ErrorPages} for the errors Jetty answers itself. The minimum data rate is {@link BoundedBody}'s.
 */
final class JettyLimits {

    private JettyLimits() {}

    static void apply(JettyConfig jetty, RequestLimits limits) {
        jetty.modifyHttpConfiguration(http -> {
            http.setIdleTimeout(limits.idleTimeout().toMillis());
            // the minimum data rate is checked by BoundedBody from the body's first read: Jetty's own check counts
            // from the request's start, so on a busy server it refuses small, prompt requests with 408
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
        });
        jetty.modifyServer(server -> {
            server.setErrorHandler(new ErrorPages());
            server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
        });
    }
}
