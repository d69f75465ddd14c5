package io.streamloader.api;

import io.javalin.config.JettyConfig;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The connection-level bounds of {@link RequestLimits} on Javalin's Jetty: idle timeout (a silent sender is cut
 * instead of holding a thread and a buffer), a cap on open connections (further ones wait in the kernel's accept
 * queue), and {@link ErrorPages} for the errors Jetty answers itself. The minimum data rate is {@link BoundedBody}'s.
 */
final class JettyLimits {

    private JettyLimits() {}

    /**
     * Jetty's selector and acceptor on platform threads, each request's handling on a virtual thread. Javalin's own
     * virtual-thread pool runs the selector as a virtual thread too: then requests whose handlers keep both carriers
     * busy (parsing multi-MiB bodies on a 2-core box) also delay reading every other request's bytes, and a small
     * request waits behind them before its handler even starts. A platform selector is scheduled by the OS.
     */
    static ThreadPool threadPool() {
        var pool = new QueuedThreadPool();
        pool.setName("producer-api");
        pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("producer-api-request-"));
        return pool;
    }

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
