package io.streamloader.launcher;

import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamloader.api.ApiConfig;
import io.streamloader.api.ProducerApi;
import io.streamloader.core.config.AdminSettings;
import io.streamloader.core.config.BindAddress;
import io.streamloader.core.config.ConfigProblems;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import io.streamloader.launcher.console.FlowsConfig;
import io.streamloader.launcher.sources.HttpPollSource;
import io.streamloader.launcher.sources.HttpPollSourceConfig;
import io.streamloader.launcher.sources.KafkaPublisher;
import io.streamloader.rollup.ClickRollupProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code run} and {@code dev} start from a validated config: the sink runners, the producer API (when
 * configured) and the admin endpoint. Started
 * once; {@link #close()} stops everything in reverse order and is idempotent.
 */
final class Platform implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    private final Startup startup;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<SinkRunner> runners = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private AdminServer admin;
    /** The started producer API; null until it listens (the admin endpoint starts first). */
    private volatile Javalin api;

    private boolean closed;

    Platform(Startup startup) {
        this.startup = startup;
    }

    /** Starts every enabled sink runner and the admin endpoint; on failure closes what it started and rethrows. */
    synchronized Platform start() {
        try {
            bindJvmMetrics();
            for (RunnerSettings sink : startup.config().sinks()) {
                SinkRunner runner = new SinkRunner(
                        Startup.transforms(sink, startup.registry()),
                        startup.sinks().get(sink.name()),
                        startup.config().kafka().sinkClientProperties(),
                        registry);
                runners.add(runner);
                runner.start();
            }
            for (ClickRollupProcessor processor : startup.processors()) {
                processor.start(registry);
                closeables.add(processor);
                log.info("stream processor {} started: {}", processor.name(), processor.config());
            }
            for (HttpPollSourceConfig source :
                    HttpPollSourceConfig.fromConfig(startup.config(), new ConfigProblems())) { // validated by Startup
                HttpPollSource poller = new HttpPollSource(
                        source, new KafkaPublisher(startup.config().kafka().clientProperties()));
                closeables.add(poller);
                poller.start();
            }
            if (startup.config().admin().enabled()) {
                KafkaProbe kafka = new KafkaProbe(startup.config().kafka().clientProperties());
                closeables.add(kafka);
                admin = new AdminServer(
                        startup.config().admin(),
                        registry,
                        runners,
                        startup.processors(),
                        // not ready until the configured API listens too: it starts after the admin endpoint
                        () -> startup.api().isPresent() && api == null
                                ? "producer API not listening yet (starting)"
                                : kafka.get(),
                        startup.config().kafka().clientProperties(),
                        // validated by Startup
                        FlowsConfig.from(startup.config(), new ConfigProblems()));
                admin.start();
                closeables.add(admin);
                logAdminBinding(startup.config().admin(), admin.port());
            }
            // after the admin endpoint: the API's welcome page links to the console on its bound port
            if (startup.api().isPresent()) {
                startApi(startup.api().get());
            }
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(
                    "cannot serve admin endpoint on port "
                            + startup.config().admin().port() + " (admin.port): " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** JVM (memory, GC, threads, classes) and process (CPU, uptime, file descriptors) meters, as Prometheus expects. */
    private void bindJvmMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        closeables.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** The producer API shares the registry, so its /metrics also shows the pipeline's meters. */
    private void startApi(ApiConfig config) {
        Javalin app = ProducerApi.connect(config, startup.config().kafka().clientProperties(), registry)
                .create(consoleUrl());
        app.start();
        api = app;
        closeables.add(app::stop);
        log.info(
                "producer API on {}://{}:{}/ (openapi.json, health/ready, metrics)",
                config.security().tls().isPresent() ? "https" : "http",
                config.host(),
                app.port());
    }

    /** The console's address for the API's welcome page; {@code {host}} stands for a wildcard admin host. */
    private java.util.Optional<String> consoleUrl() {
        if (admin == null) {
            return java.util.Optional.empty();
        }
        AdminSettings settings = startup.config().admin();
        String host = settings.host();
        host = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")
                ? "{host}"
                : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return java.util.Optional.of(
                (settings.tls().isPresent() ? "https" : "http") + "://" + host + ":" + admin.port() + "/");
    }

    /** Says who can reach the admin endpoint: loopback only, key holders, or (as a warning) anyone. */
    private static void logAdminBinding(AdminSettings admin, int port) {
        String url = (admin.tls().isPresent() ? "https" : "http") + "://" + admin.host() + ":" + port + "/";
        if (admin.authenticationEnabled()) {
            log.info(
                    "admin endpoint on {} (health/live, health/ready, metrics); metrics and health detail need an"
                            + " admin key with scope read",
                    url);
        } else if (BindAddress.isLoopback(admin.host())) {
            log.info(
                    "admin endpoint on {} (health/live, health/ready, metrics) listens on loopback only: no"
                            + " admin.keys configured",
                    url);
        } else {
            log.warn(
                    "admin endpoint on {} serves health detail and metrics WITHOUT authentication to anyone who can"
                            + " reach it (admin.allow-unauthenticated: true)",
                    url);
        }
    }

    /** The producer API's port, or -1 when it does not run. */
    int apiPort() {
        return api == null ? -1 : api.port();
    }

    List<SinkRunner> runners() {
        return runners;
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /**
     * True when there were runners and every one of them has failed for good (on-failure: stop); a runner waiting to be
     * restarted has not.
     */
    boolean allRunnersFailed() {
        return !runners.isEmpty() && runners.stream().allMatch(SinkRunner::hasFailedForGood);
    }

    /** The first runner that failed with on-failure: exit, which asks the process to exit with {@link ExitCodes#FAILURE}. */
    java.util.Optional<SinkRunner> runnerAskingToExit() {
        return runners.stream().filter(SinkRunner::exitRequested).findFirst();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long start = System.nanoTime();
        log.info("shutting down {} sink runner(s)", runners.size());
        // the API and processors first (nothing new arrives), then the sinks drain what they hold
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                log.warn("closing {} failed", closeables.get(i), e);
            }
        }
        runners.forEach(SinkRunner::close);
        startup.close();
        registry.close();
        log.info("stopped in {} ms", Duration.ofNanos(System.nanoTime() - start).toMillis());
    }
}
