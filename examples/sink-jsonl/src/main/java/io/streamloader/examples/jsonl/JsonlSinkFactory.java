package io.streamloader.examples.jsonl;

import io.streamloader.sink.support.Directories;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;

/**
 * Type {@code jsonl}: every event as one JSON line in {@code <dir>/<topic>/<partition>.jsonl}. Listed in {@code
 * META-INF/services/io.streamloader.spi.SinkFactory}; stateless, so the host may share it between threads.
 */
public final class JsonlSinkFactory implements SinkFactory<JsonlSinkConfig> {

    @Override
    public String type() {
        return "jsonl";
    }

    /** Once per runner, and by config check: parse the settings, no I/O. */
    @Override
    public JsonlSinkConfig parse(SinkContext context) {
        return JsonlSinkConfig.from(context);
    }

    /** Once per runner: creates the directory, so a bad path stops the runner at start. */
    @Override
    public Sink open(SinkContext context, JsonlSinkConfig config) {
        Directories.create(context, JsonlSinkConfig.DIR, config.dir());
        return new JsonlSink(context.name(), config);
    }
}
