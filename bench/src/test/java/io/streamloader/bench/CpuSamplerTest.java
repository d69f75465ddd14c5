package io.streamloader.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuSamplerTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Where the busy loop's result goes, so the JIT keeps the loop. */
    private static volatile long sink;

    @Test
    void attributesTheCpuOfABusyWindowToThisProcessAndTheMachine() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "Linux /proc only");
        try (CpuSampler cpu = CpuSampler.start(Map.of("self", CpuSampler.process(ProcessHandle.current())))) {
            long from = System.nanoTime();
            long spun = spin(400_000_000L); // 0.4 s of this thread's CPU
            long to = System.nanoTime();

            Map<String, Double> seconds = cpu.cpuSeconds(from, to);
            // /proc counts in 10 ms ticks and the window's ends are interpolated between samples 50 ms apart
            assertThat(seconds.get("self")).isGreaterThanOrEqualTo(spun / 1e9 - 0.1);
            assertThat(seconds.get("machine")).isGreaterThanOrEqualTo(seconds.get("self") - 0.1);
            assertThat(seconds.get("machine")).isLessThanOrEqualTo((to - from) / 1e9 * cores() + 0.1);

            Map<String, String> fields = CpuSampler.parse(cpu.resultFields(from, to, 1000));
            assertThat(fields).containsOnlyKeys("selfCpuUs", "busyPct");
            assertThat(Double.parseDouble(fields.get("selfCpuUs"))).isGreaterThan(250.0); // ≥ 0.3 s over 1000 records
        }
    }

    @Test
    void aWindowBeforeTheFirstSampleHasNoFigures() {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "Linux /proc only");
        long before = System.nanoTime();
        try (CpuSampler cpu = CpuSampler.start(Map.of("self", CpuSampler.process(ProcessHandle.current())))) {
            assertThat(cpu.cpuSeconds(before - 1_000_000_000L, before)).isEmpty();
            assertThat(cpu.resultFields(before - 1_000_000_000L, before, 10)).isEmpty();
        }
    }

    /** Spins until this thread has used {@code nanos} of CPU; returns what it used. */
    private static long spin(long nanos) {
        long start = THREADS.getCurrentThreadCpuTime();
        long x = 0;
        while (THREADS.getCurrentThreadCpuTime() - start < nanos) {
            for (int i = 0; i < 10_000; i++) {
                x += i ^ (x >>> 3);
            }
        }
        sink = x;
        return THREADS.getCurrentThreadCpuTime() - start;
    }

    /** The cores /proc/stat counts, as the sampler's machine figure does. */
    private static long cores() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            return lines.filter(l -> l.matches("cpu\\d+ .*")).count();
        }
    }
}
