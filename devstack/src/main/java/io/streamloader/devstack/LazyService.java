package io.streamloader.devstack;

import java.util.function.Supplier;

/**
 * Creates and starts a service on first use, once, however many threads ask at the same time. A failed start
 * is remembered: every later caller gets the same failure at once instead of waiting for another timeout.
 */
final class LazyService<S extends DevService> {

    private final Supplier<S> factory;
    private volatile S service;
    private RuntimeException failure;

    LazyService(Supplier<S> factory) {
        this.factory = factory;
    }

    S get() {
        S current = service;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (service == null) {
                if (failure != null) {
                    throw new DevStackException("an earlier start failed: " + failure.getMessage(), failure);
                }
                try {
                    S created = factory.get();
                    created.start();
                    service = created;
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return service;
        }
    }

    /** Stops the service if it was ever started; used by the shutdown hook. */
    synchronized void stop() {
        if (service != null) {
            service.stop();
        }
    }
}
