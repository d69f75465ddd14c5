package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout's {@code ./streamloader} script, in a copy of a checkout whose {@code mvnw} only records that it was
 * called and lays out a distribution: it builds when sources changed since the last build, and only then.
 */
class SourceScriptTest {
    @TempDir
    Path root;

    private record Run(int code, String out, String err) {}

    @BeforeEach
    void checkout() throws IOException {
        Files.copy(Path.of("..", "streamloader"), root.resolve("streamloader"));
        executable(root.resolve("streamloader"));
        longAgo(root.resolve("streamloader"));
        write("tools/select-jdk.sh", "select_jdk() { :; }\n");
        write("pom.xml", "<project/>\n");
        write("core/src/main/java/A.java", "class A {}\n");
        write("mvnw", """
                #!/usr/bin/env bash
                echo "mvnw $*" >> calls.log
                mkdir -p launcher/target/streamloader/bin
                printf '#!/usr/bin/env bash\\necho "ran $*"\\n' > launcher/target/streamloader/bin/streamloader
                chmod +x launcher/target/streamloader/bin/streamloader
                """);
        executable(root.resolve("mvnw"));
    }

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        longAgo(file);
    }

    /** Checked-out files are older than any build of the test. */
    private static void longAgo(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(600)));
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Changes {@code path} after the last build: the build's stamp is moved a minute back first, so the file is newer
     * whatever the file system's time resolution.
     */
    private void edit(String path) throws IOException {
        Path stamp = root.resolve("launcher/target/streamloader.stamp");
        try (var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                longAgo(f); // earlier edits included
            }
        }
        Files.setLastModifiedTime(stamp, FileTime.from(Instant.now().minusSeconds(60)));
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        if (Files.exists(file)) {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } else {
            Files.writeString(file, "edited\n");
        }
    }

    private Run run(String... args) throws Exception {
        List<String> command =
                new java.util.ArrayList<>(List.of(root.resolve("streamloader").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectError(root.resolve("err.txt").toFile())
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, Files.readString(root.resolve("err.txt")));
    }

    private long builds() throws IOException {
        Path calls = root.resolve("calls.log");
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    @Test
    void buildsOnFirstUseThenNotAgainWhileNothingChanged() throws Exception {
        Run first = run("plugins", "list");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo("ran plugins list\n");
        assertThat(first.err()).contains("no distribution yet").contains("building the distribution");
        assertThat(builds()).isEqualTo(1);

        Run second = run("--version");
        assertThat(second.out()).isEqualTo("ran --version\n");
        assertThat(second.err()).isEmpty();
        assertThat(builds()).isEqualTo(1);
    }

    @Test
    void rebuildsWhenASourceFileAPomOrTheScriptChangedAndSaysWhichOnStderr() throws Exception {
        run();
        for (String changed : List.of("core/src/main/java/A.java", "sink-mongo/pom.xml", "streamloader")) {
            long before = builds();
            edit(changed);
            Run run = run("x");
            assertThat(run.out()).isEqualTo("ran x\n");
            assertThat(run.err()).contains(changed + " changed since the last build");
            assertThat(builds()).isEqualTo(before + 1);
            assertThat(run().err()).as("built once for that change").isEmpty();
        }
    }

    @Test
    void filesOutsideTheSourcesDoNotTriggerABuild() throws Exception {
        run();
        edit("core/target/classes/A.class");
        edit("docs/notes.md");
        Run run = run("x");
        assertThat(run.err()).isEmpty();
        assertThat(builds()).isEqualTo(1);
    }

    @Test
    void rebuildForcesABuildAndIsNotPassedOn() throws Exception {
        run();
        Run run = run("--rebuild", "dev");
        assertThat(run.out()).isEqualTo("ran dev\n");
        assertThat(builds()).isEqualTo(2);
    }
}
