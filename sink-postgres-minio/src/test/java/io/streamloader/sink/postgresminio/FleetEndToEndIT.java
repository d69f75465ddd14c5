package io.streamloader.sink.postgresminio;

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
    /** 20 characters, the original's varchar(20). */
    private static final String HOSTILE = "F'); DROP TABLE d;--";

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

            // past the original's limits: refused, never truncated
            pipeline.sendJson("long-vin", telemetry("VIN0ABCDEFGHIJKLMN", "Edge", 2.5, new double[] {1, 1, 1}, 1));
            pipeline.sendJson(
                    "long-model",
                    telemetry("VIN9ABCDEFGHIJKLM", "Explorer Limited Plus", 2.5, new double[] {1, 1, 1}, 1));

            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions() // the view exists once the sink's migrations ran
                    .until(() -> stores.count("select count(*) from diag") == 100);

            try (Connection c = stores.connection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("select * from diag order by vin, \"timestamp\"")) {
                ResultSetMetaData md = rs.getMetaData();
                assertThat(md.getColumnCount()).isEqualTo(9);
                assertThat(md.getColumnType(1)).as("id").isEqualTo(Types.INTEGER);
                for (int col : new int[] {2, 6, 7, 8, 9}) {
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
            assertThat(stores.count("select count(distinct id) from diag")).isEqualTo(100);
            assertThat(stores.count(
                            "select count(*) from diag where vin like 'VIN9%' or vin like 'VIN0ABCDEFGHIJKLMN%'"))
                    .as("nothing truncated into the table")
                    .isZero();
            List<Map<String, Object>> columns = stores.query("select column_name, data_type,"
                    + " character_maximum_length from information_schema.columns where table_schema = '"
                    + stores.schema + "' and table_name = 'diag' order by ordinal_position");
            assertThat(columns.stream()
                            .map(c -> c.get("column_name") + " " + c.get("data_type")
                                    + (c.get("character_maximum_length") == null
                                            ? ""
                                            : "(" + c.get("character_maximum_length") + ")")))
                    .containsExactly(
                            "id integer",
                            "timestamp double precision",
                            "vin character(17)",
                            "make character varying(20)",
                            "model character varying(20)",
                            "position_x double precision",
                            "position_y double precision",
                            "position_z double precision",
                            "speed double precision");

            List<ConsumerRecord<byte[], byte[]>> letters = pipeline.testing.readAll(pipeline.topic + ".dlq", 3);
            assertThat(letters).hasSize(3);
            List<String> reasons = letters.stream()
                    .map(l ->
                            new String(l.headers().lastHeader("sl.error.reason").value(), StandardCharsets.UTF_8))
                    .toList();
            assertThat(reasons)
                    .anySatisfy(r -> assertThat(r).contains("diag_typed"))
                    .anySatisfy(r -> assertThat(r).contains("diag_vin_char17"))
                    .anySatisfy(r -> assertThat(r).contains("diag_model_varchar20"));
        }
    }
}
