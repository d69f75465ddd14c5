package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
}
