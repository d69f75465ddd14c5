package io.streamloader.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a measurement in its own JVM (its own heap limit, its own RSS), as a real deployment would, and collects the
 * {@code RESULT key=value ...} line it prints.
 */
public final class ChildJvm {
    private ChildJvm() {}

    public static Map<String, String> run(String heap, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
        // e.g. BENCH_CHILD_JAVA_OPTS='-XX:StartFlightRecording=filename=probe.jfr,settings=profile' to profile a reader
        String extra = System.getenv("BENCH_CHILD_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> result = new HashMap<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    for (String pair : line.substring(7).trim().split(" ")) {
                        String[] kv = pair.split("=", 2);
                        result.put(kv[0], kv[1]);
                    }
                } else {
                    System.err.println("  [" + main.getSimpleName() + "] " + line);
                }
            }
        }
        int code = process.waitFor();
        if (code != 0 || result.isEmpty()) {
            throw new IllegalStateException(main.getSimpleName() + " exited with " + code + " and no result");
        }
        return result;
    }

    /** Peak resident set size of this JVM in MiB, from /proc (Linux), or -1 elsewhere. */
    public static long peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
