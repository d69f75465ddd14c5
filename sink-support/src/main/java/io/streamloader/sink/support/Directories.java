package io.streamloader.sink.support;

import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Start-up I/O on a directory a sink writes into, with failures named by the config key that set it. */
public final class Directories {
    private Directories() {}

    /**
     * Creates {@code dir} and its parents if missing, so a bad path stops the runner at start rather than at the first
     * batch.
     *
     * @param key the sink config key that names {@code dir}, e.g. {@code dir} for {@code sinks.<name>.config.dir}
     * @return {@code dir}
     * @throws SinkConfigException naming the key, the absolute path and the reason when it cannot be created
     */
    public static Path create(SinkContext context, String key, Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new SinkConfigException(
                    List.of(context.keyPath(key) + ": cannot create directory " + dir.toAbsolutePath() + ": " + e));
        }
    }

    /**
     * A health check for a sink that writes into {@code dir}: safe from any thread, touches no open file.
     *
     * @throws IOException when {@code dir} is gone, not a directory or not writable
     */
    public static void checkWritable(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new IOException(dir.toAbsolutePath() + " is not a writable directory");
        }
    }
}
