package io.streamloader.launcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamloader.core.config.ConfigException;
import io.streamloader.core.pipeline.RunnerHealth;
import io.streamloader.core.pipeline.RunnerSettings;
import io.streamloader.core.pipeline.SinkRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamloader run --config FILE}: validates everything, then runs every enabled sink until SIGTERM. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs what the config file describes: one runner per enabled sink, each its own consumer group.",
            "Stops cleanly on SIGTERM/Ctrl-C: each runner finishes or abandons its batch and commits what was written."
        })
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "The streamloader.yaml to run.")
    Path config;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Startup startup;
        try {
            startup = Startup.validate(config, System.getenv());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.INVALID;
        }
        log.info("starting with {}", startup.config().toString(startup.masker()));
        MeterRegistry registry = new SimpleMeterRegistry();
        List<SinkRunner> runners = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> shutdown(runners, startup, stopped), "streamloader-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        for (RunnerSettings sink : startup.config().sinks()) {
            SinkRunner runner = new SinkRunner(
                    sink,
                    startup.factories().get(sink.name()),
                    startup.config().kafka().clientProperties(),
                    registry);
            runners.add(runner);
            runner.start();
        }
        // Runners report through their health; the process ends when asked to, or when no runner is left alive.
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            if (!runners.isEmpty() && runners.stream().allMatch(r -> r.health().state() == RunnerHealth.State.FAILED)) {
                log.error("every sink runner has failed; exiting");
                shutdown(runners, startup, stopped);
                return ExitCodes.FAILURE;
            }
        }
        return ExitCodes.OK;
    }

    private static synchronized void shutdown(List<SinkRunner> runners, Startup startup, CountDownLatch stopped) {
        if (stopped.getCount() == 0) {
            return;
        }
        log.info("shutting down {} sink runner(s)", runners.size());
        long start = System.nanoTime();
        runners.forEach(SinkRunner::close);
        startup.close();
        log.info("stopped in {} ms", Duration.ofNanos(System.nanoTime() - start).toMillis());
        stopped.countDown();
    }
}
