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
 * process-wide so the JVM shutdown hook can end it even if its service object was never stopped. A hook does not run
 * when the JVM is killed (SIGKILL, an out-of-memory kill, a CI timeout), so each server also runs under a small shell
 * watchdog ({@link #WATCHDOG}) that ends it within seconds of this JVM's death: no Elasticsearch or S3 server is left
 * behind holding memory and ports.
 */
final class ChildProcess {
    static final String START_TIMEOUT_PROPERTY = "streamloader.devstack.start-timeout-seconds";
    static final int GUARD_GRACE_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
    private static final Set<ProcessHandle> LIVE = ConcurrentHashMap.newKeySet();

    /**
     * Runs {@code "$@"} after the parent pid ({@code $1}) and waits for it. Once a second it checks the parent: if the
     * parent is gone, the server gets SIGTERM, then SIGKILL (with its children) after 10 s. SIGTERM to the watchdog
     * (a normal stop) is passed on. Its exit code is the server's.
     */
    static final String WATCHDOG = String.join(
            "\n",
            "parent=$1; shift",
            "\"$@\" &",
            "child=$!",
            "trap 'kill -TERM $child 2>/dev/null; wait $child; exit $?' TERM INT",
            "while kill -0 $parent 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done",
            "if kill -0 $child 2>/dev/null; then",
            "  kill -TERM $child",
            "  i=0",
            "  while kill -0 $child 2>/dev/null && [ $i -lt 10 ]; do sleep 1; i=$((i + 1)); done",
            "  pkill -KILL -P $child 2>/dev/null",
            "  kill -KILL $child 2>/dev/null",
            "fi",
            "wait $child");

    private final String service;
    private final Process process;
    private final Path logFile;

    private ChildProcess(String service, Process process, Path logFile) {
        this.service = service;
        this.process = process;
        this.logFile = logFile;
    }

    static ChildProcess start(String service, List<String> command, Map<String, String> env, Path workDir, Path log) {
        return start(
                service, command, env, workDir, log, ProcessHandle.current().pid());
    }

    /** As {@link #start(String, List, Map, Path, Path)}, watched on behalf of {@code parentPid} (tests). */
    static ChildProcess start(
            String service, List<String> command, Map<String, String> env, Path workDir, Path log, long parentPid) {
        List<String> watched =
                new java.util.ArrayList<>(List.of("sh", "-c", WATCHDOG, "devstack-watchdog", Long.toString(parentPid)));
        watched.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(watched)
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
     * For a server this JVM did not start itself (zonky's postmaster): a watchdog process that sends it {@code signal}
     * when this JVM dies, then {@code KILL} if it still runs {@value #GUARD_GRACE_SECONDS} s later (a server may
     * ignore the signal: one started from a shell's background job inherits an ignored SIGINT), and ends by itself
     * once the server has stopped.
     */
    static void guard(String service, long serverPid, String signal) {
        guard(service, serverPid, signal, ProcessHandle.current().pid());
    }

    static void guard(String service, long serverPid, String signal, long parentPid) {
        String script = String.join(
                "\n",
                "parent=$1; server=$2",
                "while kill -0 $parent 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1; done",
                "kill -0 $parent 2>/dev/null && exit 0",
                "kill -" + signal + " $server 2>/dev/null",
                "i=0",
                "while kill -0 $server 2>/dev/null && [ $i -lt " + GUARD_GRACE_SECONDS
                        + " ]; do sleep 1; i=$((i+1)); done",
                "kill -KILL $server 2>/dev/null",
                "exit 0");
        try {
            new ProcessBuilder(
                            "sh", "-c", script, "devstack-watchdog", Long.toString(parentPid), Long.toString(serverPid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            LOG.warn("{}: no watchdog for pid {}; it outlives a killed JVM: {}", service, serverPid, e.toString());
        }
    }

    /**
     * The system property {@value #START_TIMEOUT_PROPERTY} (seconds) raises a service's start timeout, for boxes so busy
     * that a server takes minutes to come up (a fault campaign running beside builds); it never shortens one.
     */
    static Duration startTimeout(Duration standard) {
        Long seconds = Long.getLong(START_TIMEOUT_PROPERTY);
        return seconds == null || seconds <= standard.toSeconds() ? standard : Duration.ofSeconds(seconds);
    }

    /**
     * Polls {@code ready} until it holds. Throws, with the log's tail and after stopping the process, if the process
     * exits first or the timeout passes.
     */
    void awaitReady(String what, BooleanSupplier ready, Duration timeout) {
        timeout = startTimeout(timeout);
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
