package io.streamloader.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A private copy of the distribution's config per run. The shared home stays untouched, and the zip's config files
 * are mode 660, unreadable to a non-root JVM that did not unpack them.
 */
final class ElasticsearchConfig {

    private ElasticsearchConfig() {}

    static void prepare(Path home, Path dataDir) throws IOException {
        for (String dir : new String[] {"data", "logs", "tmp"}) {
            Files.createDirectories(dataDir.resolve(dir));
        }
        Path config = dataDir.resolve("config");
        if (Files.exists(config)) {
            return; // a restart keeps the first start's config
        }
        Path source = home.resolve("config");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path from : files.toList()) {
                Path to = config.resolve(source.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        // jvm.options writes gc.log and crash files relative to the working directory; keep them in this run's logs.
        Path logs = dataDir.resolve("logs");
        Path jvmOptions = config.resolve("jvm.options");
        String options = Files.readString(jvmOptions, StandardCharsets.UTF_8)
                .replace("file=gc.log", "file=" + logs.resolve("gc.log"))
                .replace("-XX:ErrorFile=hs_err_pid%p.log", "-XX:ErrorFile=" + logs.resolve("hs_err_pid%p.log"));
        Files.writeString(jvmOptions, options + "\n-XX:HeapDumpPath=" + logs + "\n", StandardCharsets.UTF_8);
    }
}
