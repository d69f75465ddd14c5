package io.streamloader.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    @TempDir
    Path dir;

    @Test
    void aProcessThatDiesBeforeItIsReadyFailsWithItsLogTail() {
        ChildProcess process = start("echo starting; echo 'fatal: bad setting' >&2; exit 3");

        assertThatThrownBy(() -> process.awaitReady("Demo on port 1", () -> false, Duration.ofSeconds(30)))
                .isInstanceOf(DevStackException.class)
                .hasMessageContaining("Demo on port 1")
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("fatal: bad setting");
    }

    @Test
    void aProcessThatNeverGetsReadyIsStoppedAfterTheTimeout() {
        ChildProcess process = start("echo waiting; exec sleep 60");

        assertThatThrownBy(() -> process.awaitReady("Demo", () -> false, Duration.ofMillis(300)))
                .hasMessageContaining("not ready after")
                .hasMessageContaining("waiting");
        assertThat(process.isAlive()).isFalse();
    }

    @Test
    void stopEndsTheProcessAndItsChildren() throws Exception {
        ChildProcess process = start("sleep 60 & sleep 60 & wait");
        ProcessHandle child = awaitChild(process);

        process.stop(Duration.ofSeconds(5));

        assertThat(process.isAlive()).isFalse();
        child.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(child.isAlive()).isFalse();
    }

    @Test
    void aServerWhoseParentDiesIsEndedByItsWatchdog() throws Exception {
        // a stand-in for the JVM that started the server, killed as a CI timeout or the OOM killer would kill it
        Process parent = new ProcessBuilder("sleep", "60").start();
        ChildProcess process = ChildProcess.start(
                "Demo", List.of("sleep", "60"), Map.of(), dir, dir.resolve("demo.log"), parent.pid());
        ProcessHandle server = awaitChild(process);

        parent.destroyForcibly().waitFor();

        server.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(server.isAlive()).isFalse();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !process.isAlive());
    }

    @Test
    void aGuardedServerGetsItsSignalWhenTheParentDiesAndNotBefore() throws Exception {
        Process parent = new ProcessBuilder("sleep", "60").start();
        Process server = new ProcessBuilder("sleep", "60").start();
        ChildProcess.guard("Demo", server.pid(), "INT", parent.pid());

        // not while the parent lives: the guard checks once a second
        assertThat(server.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)).isFalse();

        parent.destroyForcibly().waitFor();

        assertThat(server.waitFor(ChildProcess.GUARD_GRACE_SECONDS + 10, java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
        // ended by SIGINT; by the KILL after the grace when SIGINT is ignored, as in a shell's background job (the
        // ignored disposition is inherited by the test's stand-in server)
        assertThat(server.exitValue()).isEqualTo(sigintIgnored() ? 128 + 9 : 128 + 2);
    }

    /** Whether this JVM runs with SIGINT ignored ({@code SigIgn} in /proc/self/status; SIGINT is signal 2). */
    private static boolean sigintIgnored() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (2 - 1))) != 0;
            }
        }
        return false;
    }

    @Test
    void whileTheParentLivesTheServerRunsAndItsExitCodeIsKept() {
        ChildProcess process = start("sleep 2; exit 7");

        assertThatThrownBy(() -> process.awaitReady("Demo", () -> false, Duration.ofSeconds(30)))
                .hasMessageContaining("exited with code 7");
    }

    private ChildProcess start(String script) {
        return ChildProcess.start("Demo", List.of("sh", "-c", script), Map.of(), dir, dir.resolve("demo.log"));
    }

    private static ProcessHandle awaitChild(ChildProcess process) {
        return org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> process.descendants().findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
    }
}
