package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DevCommandTest {

    @Test
    void aTakenPortIsReportedByServiceNameWithTheFlagToChangeItAndNothingStarts() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliTesting cli = new CliTesting();
            int code = cli.run("dev", "--mongo-port", Integer.toString(taken.getLocalPort()));
            assertThat(code).isEqualTo(ExitCodes.INVALID);
            assertThat(cli.err.toString())
                    .contains("MongoDB: port " + taken.getLocalPort() + " is already in use")
                    .contains("--mongo-port");
            assertThat(cli.out.toString()).doesNotContain("Starting local services");
        }
    }

    @Test
    void helpNamesEveryServiceSwitch() {
        CliTesting cli = new CliTesting();
        assertThat(cli.run("dev", "--help")).isZero();
        assertThat(cli.out.toString())
                .contains("--no-elasticsearch", "--no-mongo", "--no-postgres", "--kafka-port", "--api-port");
    }

    @Test
    void theBannersCurlCommandsPostWhatTheySayWhenPastedIntoAShell() throws Exception {
        List<String> lines = DevCommand.tryCommands("http://localhost:8080", 9200);
        // curl replaced by a function printing each argument it got, one per line
        String script = "curl() { printf '%s\\n' \"$@\"; }\n"
                + String.join(
                        "\n", lines.stream().filter(l -> l.startsWith("curl")).toList());
        Process bash = new ProcessBuilder("bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        String args = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(args).isZero();
        assertThat(args.lines())
                .contains(
                        "[{\"id\":1,\"home\":\"Lyon\",\"away\":\"Nice\"},{\"id\":2,\"home\":\"Lens\",\"away\":\"Brest\"}]")
                .anyMatch(a -> a.matches(
                        "http://localhost:8080/topics/images\\?customer_id=42&uuid=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}"
                                + "-[0-9a-f]{4}-[0-9a-f]{12}"))
                .noneMatch(a -> a.contains("$("));
    }
}
