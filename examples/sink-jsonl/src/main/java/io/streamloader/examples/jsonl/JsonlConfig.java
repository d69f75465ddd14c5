package io.streamloader.examples.jsonl;

import io.streamloader.sink.support.SinkConfigReader;
import io.streamloader.spi.SinkContext;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code jsonl} sink's settings, read from {@code sinks.<name>.config.*}.
 *
 * @param dir {@value #DIR}: directory holding one sub-directory per topic; required, created at start
 * @param fsync {@value #FSYNC}: force every written file to disk before a batch counts as stored (default true); with
 *     false a batch survives a crash of streamloader but not of the machine
 */
public record JsonlConfig(Path dir, boolean fsync) {

    public static final String DIR = "dir";
    public static final String FSYNC = "fsync";

    public JsonlConfig {
        Objects.requireNonNull(dir, "dir");
    }

    /**
     * Reads and validates the raw settings without touching the file system.
     *
     * @throws io.streamloader.spi.SinkConfigException listing every problem, each naming its key
     */
    public static JsonlConfig from(SinkContext context) {
        SinkConfigReader r = new SinkConfigReader(context);
        String dirText = r.required(DIR);
        Path dir = Path.of(".");
        try {
            dir = Path.of(dirText);
        } catch (InvalidPathException e) {
            r.problem(DIR, "is not a valid path: " + e.getReason());
        }
        boolean fsync = r.bool(FSYNC, true);
        r.finish(); // throws if a key was missing, malformed or unknown
        return new JsonlConfig(dir, fsync);
    }
}
