package io.streamloader.launcher;

import io.streamloader.core.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code streamloader run --config FILE}: validates everything, then runs what the file describes until SIGTERM. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs what the config file describes: one runner per enabled sink (each its own consumer group) and the",
            "admin endpoint (health, metrics). Stops cleanly on SIGTERM/Ctrl-C: each runner finishes or abandons its",
            "batch and commits what was written."
        })
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "The streamloader.yaml to run.")
    Path config;

    @Mixin
    EnvironmentOptions environment;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Startup startup;
        try {
            startup = Startup.validate(config, environment.environment());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.INVALID;
        }
        log.info("starting with {}", startup.config().toString(startup.masker()));
        Platform platform = new Platform(startup).start();
        return runUntilStopped(platform);
    }

    /**
     * Blocks until SIGTERM/Ctrl-C (exit 0), until a runner with on-failure: exit failed (exit 1), or until every runner
     * has failed for good (exit 1).
     */
    static int runUntilStopped(Platform platform) throws InterruptedException {
        return runUntilStopped(platform, () -> {});
    }

    /** As {@link #runUntilStopped(Platform)}, running {@code afterwards} once the platform is closed. */
    static int runUntilStopped(Platform platform, Runnable afterwards) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            platform.close();
                            afterwards.run();
                            stopped.countDown();
                        },
                        "streamloader-shutdown"));
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            var exiting = platform.runnerAskingToExit();
            if (exiting.isPresent()) {
                log.error(
                        "sink {} failed and is configured with on-failure: exit; exiting with code {}: {}",
                        exiting.get().name(),
                        ExitCodes.FAILURE,
                        exiting.get().health().detail());
                platform.close();
                afterwards.run();
                return ExitCodes.FAILURE;
            }
            if (platform.allRunnersFailed()) {
                log.error("every sink runner has failed; exiting");
                platform.close();
                afterwards.run();
                return ExitCodes.FAILURE;
            }
        }
        return ExitCodes.OK;
    }
}
