package io.streamloader.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code generate} against a deliberately slow server (one request at a time, 50 ms each): at a fixed rate of 100/s
 * the server falls behind, and the latencies must grow as coordinated-omission correction demands.
 *
 * <p>The bounds follow from the setup, not from timing: with one sending thread and a server that takes at least 50 ms
 * per request, request {@code i} (from 0) cannot be answered before {@code 50 (i + 1)} ms after the start, while it was
 * due at {@code 10 i} ms; its latency from the intended send is therefore at least {@code 40 i + 50} ms, whatever the
 * machine's speed. Its service time (from the actual send) shows none of that queueing.
 */
class GenerateLatencyTest {

    private static final int SERVER_MILLIS = 50;
    private static final int COUNT = 20;

    private HttpServer server;
    private ExecutorService serverThread;
    private final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void slowServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        serverThread = Executors.newSingleThreadExecutor();
        server.setExecutor(serverThread);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                try {
                    Thread.sleep(SERVER_MILLIS); // the server's slowness under test, not synchronisation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] reply = "[{\"id\":\"x\",\"topic\":\"t\",\"partition\":0,\"offset\":0}]"
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
        serverThread.shutdownNow();
    }

    @Test
    void atAFixedRateLatencyIsMeasuredFromTheIntendedSendTime() {
        var command = new GenerateCommand();
        String out = run(command, "--rate", "100", "--count", Integer.toString(COUNT), "--concurrency", "1");

        var summary = command.summary;
        assertThat(summary.failed()).isZero();
        assertThat(served).hasValue(COUNT);
        var latency = summary.latency();
        var service = summary.service();
        assertThat(latency.getTotalCount()).isEqualTo(COUNT);
        assertThat(service.getTotalCount()).isEqualTo(COUNT);
        // the lower bounds 40 i + 50 ms at the ranks HdrHistogram reports (p50: 10th of 20, i = 9; p90: 18th, i = 17)
        assertThat(latency.getValueAtPercentile(50)).isGreaterThanOrEqualTo(millis(40 * 9 + 50));
        assertThat(latency.getValueAtPercentile(90)).isGreaterThanOrEqualTo(millis(40 * 17 + 50));
        assertThat(latency.getMaxValue()).isGreaterThanOrEqualTo(millis(40 * 19 + 50));
        assertThat(latency.getMinValue()).isGreaterThanOrEqualTo(millis(SERVER_MILLIS));
        // every request took the server's 50 ms; the queueing is seen only from the intended send time
        assertThat(service.getMinValue()).isGreaterThanOrEqualTo(millis(SERVER_MILLIS));
        assertThat(service.getValueAtPercentile(50)).isLessThan(latency.getValueAtPercentile(50) / 2);
        assertThat(out)
                .contains("latency at 100/s (from intended send) ms: p50 ")
                .contains(", p90 ")
                .contains(", p99 ")
                .contains(", p99.9 ")
                .contains(", max ")
                .contains("service time (from actual send) ms: p50 ")
                .containsPattern(
                        "SUMMARY sent=20 failed=0 .* p50=\\d+\\.\\d+ p90=\\d+\\.\\d+ p99=\\d+\\.\\d+ p999=\\d+\\.\\d+"
                                + " max=\\d+\\.\\d+ .*cpuMicrosPerRequest=\\d+\\.\\d");
    }

    @Test
    void withoutARateLatencyIsTheServiceTime() {
        var command = new GenerateCommand();
        // --rate max: no schedule (every workload's default is its original's pace, which sets one)
        run("somedata", command, "--count", "5", "--concurrency", "1", "--rate", "max");

        var summary = command.summary;
        assertThat(summary.latency()).isEqualTo(summary.service());
        assertThat(summary.latency().getTotalCount()).isEqualTo(5);
        assertThat(summary.latency().getMinValue()).isGreaterThanOrEqualTo(millis(SERVER_MILLIS));
    }

    @Test
    void warmupRequestsAreSentButLeftOutOfTheSummary() {
        var command = new GenerateCommand();
        String out = run(command, "--count", "3", "--warmup", "2", "--concurrency", "1");

        assertThat(served).hasValue(5);
        assertThat(command.summary.sent()).isEqualTo(3);
        assertThat(command.summary.latency().getTotalCount()).isEqualTo(3);
        assertThat(out).contains("SUMMARY sent=3 failed=0");
    }

    @Test
    void invalidInputIsExitCode2AndSendsNothing() {
        var err = new ByteArrayOutputStream();
        var cli = new CommandLine(new GenerateCommand()).setErr(new java.io.PrintWriter(err, true));
        assertThat(cli.execute("clickstream", "--count", "0", "--url", url(), "--no-progress"))
                .isEqualTo(2);
        assertThat(cli.execute("clickstream", "--rate", "fast", "--url", url(), "--no-progress"))
                .isEqualTo(2);
        assertThat(cli.execute("clickstream", "--warmup", "-1", "--url", url(), "--no-progress"))
                .isEqualTo(2);
        for (String rate : new String[] {"-1", "NaN", "Infinity", "1e999", "2d", "", "٣", "maximum"}) {
            assertThat(cli.execute("clickstream", "--rate", rate, "--url", url(), "--no-progress"))
                    .as("--rate %s", rate)
                    .isEqualTo(2);
        }
        assertThat(served).hasValue(0);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--count").contains("--rate");
    }

    private String run(GenerateCommand command, String... args) {
        return run("clickstream", command, args);
    }

    private String run(String workload, GenerateCommand command, String... args) {
        var all = new java.util.ArrayList<>(java.util.List.of(workload, "--url", url(), "--path", "/slow"));
        all.addAll(java.util.List.of(args));
        all.add("--no-progress");
        var out = new ByteArrayOutputStream();
        var previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(command).execute(all.toArray(String[]::new)))
                    .isZero();
        } finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static long millis(long ms) {
        return ms * 1_000_000L;
    }
}
