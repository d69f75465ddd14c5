package io.streamloader.bench.distribution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The distribution's {@code bin/streamloader run --config FILE} as a child process, output appended to a log file.
 * The script {@code exec}s the JVM, so this process's pid is the JVM's and its /proc status is the JVM's memory.
 */
public final class RunProcess {
    private final Process process;
    private long peakRssMib = -1;

    private RunProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts the script with {@code STREAMLOADER_OPTS=javaOptions} (replacing its default -Xmx512m), appending its
     * output to {@code log} (a restarted process writes after the one it replaces).
     */
    public static RunProcess start(Path bin, Path config, Path log, String javaOptions) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(bin.toString(), "run", "--config", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("STREAMLOADER_OPTS", javaOptions);
        builder.environment().put("STREAMLOADER_LOG_FORMAT", "text");
        return new RunProcess(builder.start());
    }

    /** Reads VmHWM (the kernel's peak resident set size) while the process lives; keeps the largest seen. */
    public void samplePeakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRssMib = Math.max(peakRssMib, Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone (or not Linux): keep what was seen
        }
    }

    public long peakRssMib() {
        return peakRssMib;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** How a SIGTERM ended: the exit code (-1: still running after 30 s, then killed) and the seconds it took. */
    public record Stop(int exitCode, double seconds) {}

    public Stop sigterm() throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return new Stop(-1, (System.nanoTime() - start) / 1e9);
        }
        return new Stop(process.exitValue(), (System.nanoTime() - start) / 1e9);
    }

    /** {@code kill -9} (on Unix {@link Process#destroyForcibly()} sends SIGKILL) and waits until the JVM is gone. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pid " + process.pid() + " still alive 30 s after SIGKILL");
        }
    }

    public void killIfAlive() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
