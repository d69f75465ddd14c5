package io.streamloader.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate} without {@code --count} in its own JVM: it sends until SIGTERM or SIGINT (Ctrl-C), then prints the
 * summary of exactly what it sent and exits 0, the progress bar shown meanwhile.
 */
class RunUntilStoppedTest {
    private static final Pattern SENT = Pattern.compile("SUMMARY sent=(\\d+) failed=0 ");

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void server() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                byte[] reply = "[{\"id\":\"x\",\"topic\":\"somedata\",\"partition\":0,\"offset\":0}]"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, reply.length);
                exchange.getResponseBody().write(reply);
                served.incrementAndGet();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sigtermEndsARunWithoutCountWithItsSummaryAndExitCode0() throws Exception {
        Process process = generate(false);
        await().atMost(Duration.ofSeconds(60)).until(() -> served.get() >= 20);
        process.destroy(); // SIGTERM
        assertStoppedCleanly(process, true);
    }

    @Test
    void sigintEndsARunWithoutCountWithItsSummaryAndExitCode0() throws Exception {
        // a child inherits an ignored SIGINT (a build started as a shell's background job); nothing can undo that
        Assumptions.assumeFalse(sigintIgnoredHere(), "SIGINT is ignored in this process tree");
        Process process = generate(true);
        await().atMost(Duration.ofSeconds(60)).until(() -> served.get() >= 20);
        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                        .start()
                        .waitFor())
                .isZero();
        assertStoppedCleanly(process, false);
    }

    private void assertStoppedCleanly(Process process, boolean progressBar) throws Exception {
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("stopped within 30 s")
                .isTrue();
        String out = Files.readString(dir.resolve("out.log"));
        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out).contains("somedata: stopped by signal after ");
        Matcher sent = SENT.matcher(out);
        assertThat(sent.find()).as(out).isTrue();
        assertThat(Long.parseLong(sent.group(1)))
                .as("the summary counts every request the server answered")
                .isEqualTo(served.get())
                .isGreaterThanOrEqualTo(20);
        if (progressBar) {
            assertThat(Files.readString(dir.resolve("err.log"))).contains("somedata");
        }
    }

    private Process generate(boolean noProgress) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                GenerateCommand.class.getName(),
                "somedata",
                "--url",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "--concurrency",
                "2",
                "--rate",
                "200"));
        if (noProgress) {
            command.add("--no-progress");
        }
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.log").toFile())
                .redirectError(dir.resolve("err.log").toFile())
                .start();
    }

    /** Whether this JVM ignores SIGINT (bit 1 of SigIgn in /proc/self/status); its children would too. */
    private static boolean sigintIgnoredHere() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0x2) != 0;
            }
        }
        return false;
    }
}
