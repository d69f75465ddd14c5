package io.streamloader.examples.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSinkFactoryTest {
    @TempDir
    Path dir;

    @Test
    void isFoundByTheServiceLoaderUnderItsType() {
        assertThat(ServiceLoader.load(SinkFactory.class).stream().map(ServiceLoader.Provider::get))
                .singleElement()
                .satisfies(f -> assertThat(f.type()).isEqualTo("jsonl"))
                .isInstanceOf(JsonlSinkFactory.class);
    }

    @Test
    void parseTouchesNoFiles() {
        Path out = dir.resolve("not-yet");
        assertThat(new JsonlSinkFactory().parse(new SinkContext("files", Map.of("dir", out.toString()))))
                .isEqualTo(new JsonlSinkConfig(out, true));
        assertThat(out).doesNotExist();
    }

    @Test
    void openMakesTheDirectory() {
        Path out = dir.resolve("a/b");
        SinkContext context = new SinkContext("files", Map.of("dir", out.toString()));
        JsonlSinkFactory factory = new JsonlSinkFactory();
        try (Sink sink = factory.open(context, factory.parse(context))) {
            assertThat(out).isDirectory();
            assertThat(sink).isInstanceOf(JsonlSink.class);
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAConfigProblemOfDir() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        SinkContext context = new SinkContext("files", Map.of("dir", file + "/sub"));
        JsonlSinkFactory factory = new JsonlSinkFactory();
        assertThatThrownBy(() -> factory.open(context, factory.parse(context)))
                .isInstanceOfSatisfying(
                        SinkConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .asString()
                                .startsWith("sinks.files.config.dir: cannot create directory"));
    }
}
