package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code bin/streamloader}, run against a fake {@code java} that prints the arguments it got: the
 * dev stack ({@code dev-lib/}) is on the classpath for {@code dev} only, wherever the command name stands.
 */
class DistributionScriptTest {
    @TempDir
    Path home;

    private Path javaHome;

    @BeforeEach
    void distribution() throws IOException {
        Path script = home.resolve("bin").resolve("streamloader");
        Files.createDirectories(script.getParent());
        Files.copy(Path.of("src", "dist", "bin", "streamloader"), script);
        executable(script);
        javaHome = home.resolve("jdk");
        Path java = javaHome.resolve("bin").resolve("java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, """
                #!/usr/bin/env bash
                if [ "$1" = -version ]; then echo 'openjdk version "21.0.9" 2025-10-21' >&2; exit 0; fi
                printf '%s\\n' "$@"
                """);
        executable(java);
    }

    @Test
    void devAloneGetsTheDevStack() throws Exception {
        assertThat(classpath("dev")).isEqualTo(home + "/lib/*:" + home + "/dev-lib/*");
        assertThat(classpath("--log-level", "debug", "dev", "--no-elasticsearch"))
                .isEqualTo(home + "/lib/*:" + home + "/dev-lib/*");
        assertThat(classpath("--log-format=json", "dev")).isEqualTo(home + "/lib/*:" + home + "/dev-lib/*");

        assertThat(classpath("run", "--config", "dev")).isEqualTo(home + "/lib/*");
        assertThat(classpath("--log-level", "dev", "run", "--config", "x.yaml")).isEqualTo(home + "/lib/*");
        assertThat(classpath("config", "check", "dev")).isEqualTo(home + "/lib/*");
        assertThat(classpath("--version")).isEqualTo(home + "/lib/*");
    }

    @Test
    void passesEveryArgumentOnToMainWithTheHome() throws Exception {
        List<String> args = run("--log-level", "info", "dev", "--api-port=1");

        assertThat(args).contains("-Dstreamloader.home=" + home);
        assertThat(args.subList(args.indexOf("io.streamloader.launcher.Main"), args.size()))
                .containsExactly("io.streamloader.launcher.Main", "--log-level", "info", "dev", "--api-port=1");
    }

    private String classpath(String... args) throws Exception {
        List<String> got = run(args);
        return got.get(got.indexOf("-cp") + 1);
    }

    /** The arguments the script gave java, one per element. */
    private List<String> run(String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of(home.resolve("bin/streamloader").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("JAVA_HOME", javaHome.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
