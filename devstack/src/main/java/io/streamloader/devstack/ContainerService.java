package io.streamloader.devstack;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A service in a Docker container (containers mode). The container's port is published on 127.0.0.1 at a port
 * chosen before the first start, and {@link #stop()} stops the container without removing it, so {@link #start()}
 * brings back the same data on the same port, as the local services do. Testcontainers' Ryuk removes the container
 * when the JVM exits.
 */
abstract class ContainerService implements DevService {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerService.class);
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(60);

    private final GenericContainer<?> container;
    private final int containerPort;
    private int port;
    private boolean created;
    private boolean running;

    ContainerService(GenericContainer<?> container, int containerPort, int port) {
        this.container = container;
        this.containerPort = containerPort;
        this.port = port;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        port = Ports.claim(name(), port);
        if (!created) {
            container.setPortBindings(List.of(Ports.HOST + ":" + port + ":" + containerPort));
            container.start(); // waits with the module's own wait strategy
            created = true;
        } else {
            container
                    .getDockerClient()
                    .startContainerCmd(container.getContainerId())
                    .exec();
            awaitReady();
        }
        running = true;
        LOG.info("{} started on 127.0.0.1:{} ({})", name(), port, container.getDockerImageName());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
        running = false;
        LOG.info("{} on 127.0.0.1:{} stopped", name(), port);
    }

    @Override
    public synchronized boolean isRunning() {
        return running;
    }

    public synchronized int port() {
        return port;
    }

    GenericContainer<?> container() {
        return container;
    }

    /** True once the restarted server answers; the wait strategy only covers the first start. */
    abstract boolean ready();

    private void awaitReady() {
        BooleanSupplier ready = this::ready;
        long deadline = System.nanoTime() + RESTART_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new DevStackException(name() + " on 127.0.0.1:" + port + " not ready "
                        + RESTART_TIMEOUT.toSeconds() + " s after a restart:\n" + container.getLogs());
            }
            try {
                Thread.sleep(200); // polling a container; Docker offers no readiness event
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevStackException(name() + ": interrupted while restarting", e);
            }
        }
    }
}
