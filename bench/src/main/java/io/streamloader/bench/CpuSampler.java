package io.streamloader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where a row's CPU went: samples, every {@value #PERIOD_MILLIS} ms, the CPU time of named groups of processes and the
 * busy time of the whole machine from Linux's {@code /proc}, so that the CPU spent between two {@link System#nanoTime}
 * instants (a row's timed window) can be read afterwards. On a machine without {@code /proc} every figure is absent.
 *
 * <p>A group is a supplier of processes, asked at every sample, so it can follow processes that come and go (database
 * backends); the CPU of a process that exits within a window is lost to it, which a window of long-lived connections
 * does not see.
 */
public final class CpuSampler implements AutoCloseable {
    private static final long PERIOD_MILLIS = 50;
    private static final Path PROC = Path.of("/proc");
    /** USER_HZ: the unit of /proc's CPU times; 100 on every Linux architecture the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final Map<String, Supplier<List<ProcessHandle>>> groups;
    private final List<long[]> samples = new ArrayList<>(); // nanoTime, machine busy ticks, then one per group
    private final Thread thread;
    private volatile boolean running = true;

    private CpuSampler(Map<String, Supplier<List<ProcessHandle>>> groups) {
        this.groups = new LinkedHashMap<>(groups);
        this.thread = Thread.ofPlatform().daemon().name("cpu-sampler").start(this::loop);
    }

    /** Starts sampling the groups (name → its processes), or returns null where there is no {@code /proc/stat}. */
    public static CpuSampler start(Map<String, Supplier<List<ProcessHandle>>> groups) {
        return Files.isReadable(PROC.resolve("stat")) ? new CpuSampler(groups) : null;
    }

    /** The group of one process. */
    public static Supplier<List<ProcessHandle>> process(ProcessHandle process) {
        return () -> List.of(process);
    }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        long[] sample = new long[2 + groups.size()];
        sample[0] = System.nanoTime();
        sample[1] = machineBusyTicks();
        int i = 2;
        for (Supplier<List<ProcessHandle>> group : groups.values()) {
            long ticks = 0;
            for (ProcessHandle process : group.get()) {
                ticks += processTicks(process.pid());
            }
            sample[i++] = ticks;
        }
        synchronized (samples) {
            samples.add(sample);
        }
    }

    /**
     * CPU seconds of each group between two instants, and {@code machine}: busy seconds of all cores together.
     * Values between samples are interpolated; an instant outside the samples gives an empty map.
     */
    public Map<String, Double> cpuSeconds(long fromNanos, long toNanos) {
        sample(); // the latest figures, so a window that just ended is covered
        List<long[]> copy;
        synchronized (samples) {
            copy = List.copyOf(samples);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        double[] from = at(copy, fromNanos);
        double[] to = at(copy, toNanos);
        if (from == null || to == null) {
            return out;
        }
        out.put("machine", (to[0] - from[0]) / TICKS_PER_SECOND);
        int i = 1;
        for (String name : groups.keySet()) {
            out.put(name, (to[i] - from[i]) / TICKS_PER_SECOND);
            i++;
        }
        return out;
    }

    /**
     * For a {@code RESULT} line: {@code " <group>CpuUs=..."} per group, its CPU µs per record in the window, and {@code
     * " busyPct=..."}, the share of all the machine's cores that was busy; empty when the window was not sampled.
     */
    public String resultFields(long fromNanos, long toNanos, long records) {
        Map<String, Double> seconds = cpuSeconds(fromNanos, toNanos);
        if (seconds.isEmpty() || records <= 0 || toNanos <= fromNanos) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String name : groups.keySet()) {
            out.append(String.format(" %sCpuUs=%.1f", name, seconds.get(name) * 1e6 / records));
        }
        double window = (toNanos - fromNanos) / 1e9;
        return out.append(String.format(" busyPct=%.0f", 100 * seconds.get("machine") / (window * cores())))
                .toString();
    }

    /** The fields of {@link #resultFields} as a map (name → value). */
    public static Map<String, String> parse(String fields) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : fields.trim().split(" ")) {
            String[] kv = pair.split("=", 2);
            if (kv.length == 2) {
                out.put(kv[0], kv[1]);
            }
        }
        return out;
    }

    /** The cores /proc/stat counts (lines cpu0, cpu1, ...). */
    private static int cores() {
        try (var lines = Files.lines(PROC.resolve("stat"))) {
            return (int) Math.max(1, lines.filter(l -> l.matches("cpu\\d+ .*")).count());
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** The counters at {@code nanos}, interpolated between the samples around it; null outside them. */
    private static double[] at(List<long[]> samples, long nanos) {
        for (int i = 1; i < samples.size(); i++) {
            long[] before = samples.get(i - 1);
            long[] after = samples.get(i);
            if (before[0] <= nanos && nanos <= after[0]) {
                double f = after[0] == before[0] ? 0 : (double) (nanos - before[0]) / (after[0] - before[0]);
                double[] values = new double[before.length - 1];
                for (int k = 1; k < before.length; k++) {
                    values[k - 1] = before[k] + f * (after[k] - before[k]);
                }
                return values;
            }
        }
        return null;
    }

    /** Busy ticks of all cores: the first line of /proc/stat less idle and iowait. */
    private static long machineBusyTicks() {
        try (var lines = Files.lines(PROC.resolve("stat"))) {
            String[] f = lines.findFirst().orElseThrow().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) { // user .. steal; guest time is already in user
                total += Long.parseLong(f[i]);
            }
            return total - Long.parseLong(f[4]) - Long.parseLong(f[5]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of a process (all its threads); 0 once it is gone. */
    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            // after the command name in parentheses (which may hold spaces): state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
