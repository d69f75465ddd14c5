package io.streamloader.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where a row's CPU went: samples, every {@value #PERIOD_MILLIS} ms, the CPU time of named groups of processes and the
 * busy time of the whole machine from Linux's {@code /proc}, so that the CPU spent between two {@link System#nanoTime}
 * instants (a row's timed window) can be read afterwards. On a machine without {@code /proc} every figure is absent.
 *
 * <p>A group is {@link #process one process}, or {@link #tree a server and its children}, which follows children that
 * come and go (database backends): a child's CPU moves into its parent's reaped-children times when it exits, so the
 * group's total never drops.
 */
public final class CpuSampler implements AutoCloseable {
    private static final long PERIOD_MILLIS = 50;
    private static final Path PROC = Path.of("/proc");
    /** USER_HZ: the unit of /proc's CPU times; 100 on every Linux architecture the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final Map<String, LongSupplier> groups;
    private final List<long[]> samples = new ArrayList<>(); // nanoTime, machine busy ticks, then one per group
    private final Thread thread;
    private volatile boolean running = true;

    private CpuSampler(Map<String, LongSupplier> groups) {
        this.groups = new LinkedHashMap<>(groups);
        sample(); // a window may start as soon as this returns
        this.thread = Thread.ofPlatform().daemon().name("cpu-sampler").start(this::loop);
    }

    /** Starts sampling the groups (name → its CPU ticks), or returns null where there is no {@code /proc/stat}. */
    public static CpuSampler start(Map<String, LongSupplier> groups) {
        return Files.isReadable(PROC.resolve("stat")) ? new CpuSampler(groups) : null;
    }

    /** The CPU of one process, all its threads. */
    public static LongSupplier process(ProcessHandle process) {
        return () -> ticks(process.pid(), false);
    }

    /**
     * The CPU of a server process (looked up at every sample; none, no CPU), its live children's and its exited
     * children's: a PostgreSQL postmaster and its backends. Finding the children reads every process's stat file:
     * 0.6 ms with 66 processes, so about 1 % of one core at this sampling rate, counted in the sampling JVM's CPU.
     */
    public static LongSupplier tree(Supplier<Optional<ProcessHandle>> root) {
        return () -> root.get()
                .map(server -> ticks(server.pid(), true)
                        + server.children()
                                .mapToLong(child -> ticks(child.pid(), false))
                                .sum())
                .orElse(0L);
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
        for (LongSupplier group : groups.values()) {
            sample[i++] = group.getAsLong();
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
            copy = new ArrayList<>(samples);
        }
        copy.sort(Comparator.comparingLong(sample -> sample[0])); // the caller's sample may have raced the thread's
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

    /**
     * utime + stime of a process (all its threads), with {@code reaped} also cutime + cstime (its children that exited
     * and were waited for); 0 once it is gone.
     */
    private static long ticks(long pid, boolean reaped) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            // after the command name in parentheses (which may hold spaces): state is field 3, utime 14, stime 15,
            // cutime 16, cstime 17
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return reaped ? own + Long.parseLong(f[13]) + Long.parseLong(f[14]) : own;
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
