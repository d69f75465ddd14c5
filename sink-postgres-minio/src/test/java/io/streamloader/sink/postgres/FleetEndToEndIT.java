package io.streamloader.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Seed 004 end to end: five vehicles post twenty form-encoded telemetry reports each; producer-api turns each into a
 * JSON object with numbers as numbers; the diag view shows 100 typed rows. Hostile strings are stored verbatim.
 */
class FleetEndToEndIT {
    private static final String HOSTILE = "F-150 \"Raptor\" it's '); DROP TABLE diag;--";

    /** The JSON producer-api makes of the vehicle's form body (numbers stay numbers). */
    private static String telemetry(String vin, String model, double t, double[] v, double speed) {
        return String.format(
                Locale.ROOT,
                "{\"timestamp\":%.6f,\"make\":\"Ford\",\"model\":\"%s\",\"position_x\":%s,\"position_y\":%s,"
                        + "\"position_z\":%s,\"speed\":%s,\"vin\":\"%s\"}",
                t,
                model.replace("\\", "\\\\").replace("\"", "\\\""),
                v[0] * t,
                v[1] * t,
                v[2] * t,
                speed,
                vin);
    }

    @Test
    void fiveVehiclesTimesTwentyPostsBecomeAHundredTypedDiagRows() throws Exception {
        TestingStores stores = new TestingStores("fleet");
        try (TestingPipeline pipeline = new TestingPipeline("events", 3)) {
            pipeline.start(
                    "fleet-" + stores.schema,
                    1,
                    stores.config(Map.of("migrations.locations", TestingStores.examples("fleet"))));
            Random random = new Random(4);
            for (int vehicle = 0; vehicle < 5; vehicle++) {
                String vin = ("VIN" + vehicle + "ABCDEFGHIJKLMN").substring(0, 17);
                String model = vehicle == 0
                        ? HOSTILE
                        : List.of("Escape", "Edge", "Bronco", "Mustang").get(vehicle - 1);
                double[] v = {random.nextDouble() * 2, random.nextDouble() * 4, random.nextDouble() * 100};
                double speed = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
                for (int report = 0; report < 20; report++) {
                    double t = 1_664_046_446.939104 + report * 3;
                    pipeline.sendJson(UUID.randomUUID().toString(), telemetry(vin, model, t, v, speed));
                }
            }
            // a report whose speed is not a number is refused by the example's check constraint
            pipeline.sendJson(
                    "bad-speed",
                    "{\"timestamp\":1.5,\"vin\":\"X\",\"position_x\":1,\"position_y\":1,"
                            + "\"position_z\":1,\"speed\":\"fast\"}");

            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> stores.count("select count(*) from diag") == 100);

            try (Connection c = stores.connection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select * from diag order by vin, \"timestamp\"")) {
                ResultSetMetaData md = rs.getMetaData();
                assertThat(md.getColumnCount()).isEqualTo(8);
                assertThat(List.of(
                                md.getColumnLabel(1),
                                md.getColumnLabel(2),
                                md.getColumnLabel(3),
                                md.getColumnLabel(4),
                                md.getColumnLabel(5),
                                md.getColumnLabel(6),
                                md.getColumnLabel(7),
                                md.getColumnLabel(8)))
                        .containsExactly(
                                "timestamp", "vin", "make", "model", "position_x", "position_y", "position_z", "speed");
                for (int col : new int[] {1, 5, 6, 7, 8}) {
                    assertThat(md.getColumnType(col)).as(md.getColumnLabel(col)).isEqualTo(Types.DOUBLE);
                }
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("model")).isEqualTo(HOSTILE);
                assertThat(rs.getDouble("timestamp")).isEqualTo(1_664_046_446.939104);
                assertThat(rs.getString("make")).isEqualTo("Ford");
            }
            assertThat(stores.count("select count(*) from diag where model = ?", HOSTILE))
                    .isEqualTo(20);
            assertThat(stores.count("select count(distinct vin) from diag")).isEqualTo(5);

            List<ConsumerRecord<byte[], byte[]>> letters = pipeline.testing.readAll(pipeline.topic + ".dlq", 1);
            assertThat(letters).hasSize(1);
            String reason = new String(
                    letters.getFirst().headers().lastHeader("sl.error.reason").value(), StandardCharsets.UTF_8);
            assertThat(reason).contains("diag_typed");
        }
    }
}
