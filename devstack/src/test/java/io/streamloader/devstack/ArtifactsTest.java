package io.streamloader.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactsTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearOverride() {
        System.clearProperty(Artifacts.DIRECTORY_PROPERTY);
    }

    @Test
    void findsTheDistributionsInTheLocalMavenRepositoryByDefault() {
        // both are fetched while this module builds, so they must be there when its tests run
        assertThat(Artifacts.elasticsearchZip()).isRegularFile().hasFileName("elasticsearch-8.19.21.zip");
        assertThat(Artifacts.s3proxyJar()).isRegularFile().hasFileName("s3proxy-4.1.0-jar-with-dependencies.jar");
    }

    @Test
    void anArtifactsDirectoryOverridesTheRepository() throws IOException {
        Path jar = Files.createFile(dir.resolve("s3proxy-4.1.0-jar-with-dependencies.jar"));
        System.setProperty(Artifacts.DIRECTORY_PROPERTY, dir.toString());

        assertThat(Artifacts.s3proxyJar()).isEqualTo(jar);
        assertThatThrownBy(Artifacts::elasticsearchZip)
                .isInstanceOf(DevStackException.class)
                .hasMessageContaining("elasticsearch-8.19.21.zip")
                .hasMessageContaining(dir.toString())
                .hasMessageContaining(Artifacts.DIRECTORY_PROPERTY);
    }
}
