package io.streamloader.bench.faults;

import io.streamloader.bench.distribution.RunProcess;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The campaign's {@code streamloader run} processes: the main one, which is kept running (restarted at once after a
 * planned {@code kill -9}, and after any exit of its own, which is counted), and at times a second one with the same
 * config that joins every consumer group and later leaves.
 */
final class Processes {
    private final Path bin;
    private final Path config;
    private final Path log;
    private final String javaOptions;
    private RunProcess main;
    private RunProcess joiner;
    private int starts;
    private int unplannedExits;
    private String lastUnplannedExit = "";

    Processes(Path bin, Path config, Path log, String javaOptions) {
        this.bin = bin;
        this.config = config;
        this.log = log;
        this.javaOptions = javaOptions;
    }

    synchronized void start() throws IOException {
        main = RunProcess.start(bin, config, log, javaOptions);
        starts++;
    }

    /** {@code kill -9} of the main process, then a new one at once; returns the killed pid. */
    synchronized long killAndRestart() throws IOException, InterruptedException {
        long pid = main.pid();
        main.kill9();
        start();
        return pid;
    }

    /** Restarts the main process if it exited by itself; called on every timeline sample. */
    synchronized void superviseMain() throws IOException {
        if (main != null && !main.isAlive()) {
            unplannedExits++;
            lastUnplannedExit = "pid " + main.pid() + " exited with " + main.exitValue();
            start();
        }
    }

    synchronized long joinSecond() throws IOException {
        joiner = RunProcess.start(bin, config, log, javaOptions);
        return joiner.pid();
    }

    /** SIGTERM of the second process; its exit code (-1: needed SIGKILL after 30 s). */
    synchronized int leaveSecond() throws InterruptedException {
        if (joiner == null) {
            return 0;
        }
        int code = joiner.isAlive() ? joiner.sigterm().exitCode() : joiner.exitValue();
        joiner = null;
        return code;
    }

    /** SIGTERM of every process; the main process's exit code, or -2 when it was not running. */
    synchronized int stopAll() throws InterruptedException {
        leaveSecond();
        if (main == null || !main.isAlive()) {
            return -2;
        }
        return main.sigterm().exitCode();
    }

    synchronized void killAll() {
        if (joiner != null) {
            joiner.killIfAlive();
        }
        if (main != null) {
            main.killIfAlive();
        }
    }

    synchronized int starts() {
        return starts;
    }

    synchronized int unplannedExits() {
        return unplannedExits;
    }

    synchronized String lastUnplannedExit() {
        return lastUnplannedExit;
    }
}
