package io.streamloader.examples.jsonl;

import io.streamloader.sink.support.SinkConfigReader;
import io.streamloader.spi.SinkContext;
import java.nio.file.Path;

/**
 * The {@code jsonl} sink's settings, read from {@code sinks.<name>.config.*}.
 *
 * @param dir {@value #DIR}: directory holding one sub-directory per topic; required, created at start
 * @param fsync {@value #FSYNC}: force every written file to disk before a batch counts as stored (default true); with
 *     false a batch survives a crash of streamloader but not of the machine
 */
public record JsonlSinkConfig(Path dir, boolean fsync) {
    public static final String DIR = "dir";
    public static final String FSYNC = "fsync";

    /**
     * Reads and validates the raw settings without touching the file system.
     *
     * @throws io.streamloader.spi.SinkConfigException listing every problem, each naming its key
     */
    public static JsonlSinkConfig from(SinkContext context) {
        SinkConfigReader r = new SinkConfigReader(context);
        return r.finish(new JsonlSinkConfig(r.requiredPath(DIR), r.bool(FSYNC, true))); // throws on any problem
    }
}
