package io.streamloader.api;

import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.NetworkConnectionLimit;

/**
 * The connection-level bounds of {@link RequestLimits} on Javalin's Jetty: idle timeout and minimum request data
 * rate (a slow sender is cut instead of holding a thread and a buffer), a cap on open connections (further ones wait
 * in the kernel's accept queue), and {@link ErrorPages} for the errors Jetty answers itself.
 */
final class JettyLimits {

    private JettyLimits() {}

    static void apply(JettyConfig jetty, RequestLimits limits) {
        jetty.modifyHttpConfiguration(http -> {
            http.setIdleTimeout(limits.idleTimeout().toMillis());
            http.setMinRequestDataRate(limits.minRequestDataRate());
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
        });
        jetty.modifyServer(server -> {
            server.setErrorHandler(new ErrorPages());
            server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
        });
    }
}
