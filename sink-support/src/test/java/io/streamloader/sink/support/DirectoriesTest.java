package io.streamloader.sink.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.SinkConfigException;
import io.streamloader.spi.SinkContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {
    private static final SinkContext CONTEXT = new SinkContext("files", Map.of());

    @TempDir
    Path tmp;

    @Test
    void createMakesMissingParentsAndKeepsAnExistingDirectory() {
        Path dir = tmp.resolve("a/b/c");
        assertThat(Directories.create(CONTEXT, "dir", dir)).isEqualTo(dir);
        assertThat(dir).isDirectory();
        assertThat(Directories.create(CONTEXT, "dir", dir)).isEqualTo(dir);
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAProblemOfItsKey() throws IOException {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        assertThatThrownBy(() -> Directories.create(CONTEXT, "dir", file.resolve("sub")))
                .isInstanceOfSatisfying(
                        SinkConfigException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .asString()
                                .startsWith("sinks.files.config.dir: cannot create directory "
                                        + file.resolve("sub").toAbsolutePath() + ": "));
    }

    @Test
    void checkWritableFailsForAMissingDirectoryOrAFile() throws IOException {
        Directories.checkWritable(tmp);
        assertThatThrownBy(() -> Directories.checkWritable(tmp.resolve("missing")))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("missing is not a writable directory");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> Directories.checkWritable(file)).isInstanceOf(IOException.class);
    }
}
