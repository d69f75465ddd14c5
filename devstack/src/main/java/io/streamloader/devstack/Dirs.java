package io.streamloader.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Directory and file helpers shared by the services. */
final class Dirs {

    /** Where unpacked distributions (Elasticsearch, PostgreSQL binaries) are kept between runs. */
    static final String CACHE_PROPERTY = "streamloader.devstack.cache";

    private static final Logger LOG = LoggerFactory.getLogger(Dirs.class);

    private Dirs() {}

    /**
     * The per-user cache, {@code ~/.cache/streamloader-devstack} unless {@value #CACHE_PROPERTY} says otherwise. Not
     * under {@code java.io.tmpdir}: tests point that at {@code target/}, and unpacking Elasticsearch again after
     * every {@code mvn clean} in every module would cost seconds each time.
     */
    static Path cache() {
        String configured = System.getProperty(CACHE_PROPERTY);
        Path dir = configured != null
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "streamloader-devstack");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the devstack cache " + dir, e);
        }
    }

    /** The last {@code lines} lines of a log file, formatted for an error message; empty if unreadable. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return "\n--- last " + last.size() + " lines of " + file + " ---\n" + String.join("\n", last);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("could not delete {} completely", dir, e);
        }
    }
}
