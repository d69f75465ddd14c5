package io.streamloader.devstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server started as a child process with its output in a log file. Every live child is also registered
 * process-wide so the JVM shutdown hook can end it even if its service object was never stopped.
 */
final class ChildProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
    private static final Set<ProcessHandle> LIVE = ConcurrentHashMap.newKeySet();

    private final String service;
    private final Process process;
    private final Path logFile;

    private ChildProcess(String service, Process process, Path logFile) {
        this.service = service;
        this.process = process;
        this.logFile = logFile;
    }

    static ChildProcess start(String service, List<String> command, Map<String, String> env, Path workDir, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            LIVE.add(process.toHandle());
            LOG.debug("{}: started pid {}: {}", service, process.pid(), command);
            return new ChildProcess(service, process, log);
        } catch (IOException e) {
            throw new DevStackException(service + ": cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Polls {@code ready} until it holds. Throws, with the log's tail and after stopping the process, if the process
     * exits first or the timeout passes.
     */
    void awaitReady(String what, BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                stop(Duration.ZERO); // unregister it and end any child it left behind
                throw failure(what + ": process exited with code " + process.exitValue() + " before it was ready");
            }
            if (System.nanoTime() > deadline) {
                stop(Duration.ofSeconds(10));
                throw failure(what + ": not ready after " + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(100); // the server offers no readiness notification, only a port to poll
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(Duration.ofSeconds(10));
                throw new DevStackException(what + ": interrupted while waiting for startup", e);
            }
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    java.util.stream.Stream<ProcessHandle> descendants() {
        return process.descendants();
    }

    /** SIGTERM, then SIGKILL for the whole process tree if it has not exited within {@code grace}. */
    void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("{}: pid {} did not exit within {} s, killing it", service, process.pid(), grace.toSeconds());
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        // A launcher (Elasticsearch's CLI) normally takes its server down with it; make sure of it.
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        LIVE.remove(process.toHandle());
    }

    private DevStackException failure(String message) {
        return new DevStackException(message + Dirs.tail(logFile, 40));
    }

    /** Last resort at JVM shutdown: kill whatever child is still registered, and its children. */
    static void destroyAll() {
        for (ProcessHandle handle : LIVE) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
        }
        LIVE.clear();
    }
}
