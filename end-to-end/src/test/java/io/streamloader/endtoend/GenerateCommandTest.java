package io.streamloader.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamloader.api.ApiConfig;
import io.streamloader.api.ProducerApi;
import io.streamloader.api.ReadinessProbe;
import io.streamloader.generator.GenerateCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Each generator against the real API over a MockProducer: the requests it sends are the demos' data, accepted. */
class GenerateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void clickstreamPostsObjectsWithTheEightFieldsAndBatches() throws Exception {
        withApi(
                (url, records) -> {
                    assertThat(generate(
                                    "clickstream",
                                    "--count",
                                    "10",
                                    "--url",
                                    url,
                                    "--batch",
                                    "5",
                                    "--click-shape",
                                    "object"))
                            .isZero();
                    assertThat(records.get()).hasSize(50);
                },
                records -> {
                    var event = read(records.get(0));
                    assertThat(event.fieldNames())
                            .toIterable()
                            .containsExactly(
                                    "user_id", "timestamp", "url", "country", "city", "browser", "os", "device");
                    assertThat(event.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
                });
    }

    @Test
    void fleetPostsTelemetryFormsWithSeventeenCharacterVins() throws Exception {
        withApi(
                (url, records) -> assertThat(
                                generate("fleet", "--count", "12", "--vehicles", "4", "--rate", "1000", "--url", url))
                        .isZero(),
                records -> {
                    assertThat(records).hasSize(12);
                    var vins = records.stream()
                            .map(r -> read(r).get("vin").asText())
                            .distinct()
                            .toList();
                    assertThat(vins).hasSize(4).allMatch(v -> v.matches("[A-Z0-9]{17}"));
                    var event = read(records.get(0));
                    assertThat(event.get("speed").isNumber()).isTrue();
                    assertThat(event.get("position_z").isNumber()).isTrue();
                    assertThat(event.get("make").asText()).isEqualTo("Ford");
                });
    }

    @Test
    void imagesArePngBlobsWithCustomerIdUuidAndSentAt() throws Exception {
        withApi(
                (url, records) -> assertThat(generate("images", "--count", "3", "--image-size", "16x8", "--url", url))
                        .isZero(),
                records -> {
                    assertThat(records).hasSize(3);
                    var r = records.get(0);
                    assertThat(header(r, "content-type")).isEqualTo("image/png");
                    assertThat(header(r, "meta.customer_id")).isEqualTo("1");
                    assertThat(header(r, "meta.uuid")).hasSize(36);
                    assertThat(header(r, "meta.sent_at")).matches("\\d+\\.\\d+");
                    assertThat(r.value()).startsWith(0x89, 'P', 'N', 'G');
                });
    }

    @Test
    void somedataAndFootdataFollowSeed002() throws Exception {
        withApi(
                (url, records) -> {
                    assertThat(generate("somedata", "--count", "5", "--rate", "max", "--url", url))
                            .isZero();
                    assertThat(generate("footdata", "--count", "5", "--rate", "max", "--url", url))
                            .isZero();
                },
                records -> {
                    var somedata = records.stream()
                            .filter(r -> r.topic().equals("somedata"))
                            .toList();
                    assertThat(somedata).hasSize(5);
                    assertThat(read(somedata.get(0)).get("0").asText())
                            .isIn("car", "truck", "van", "motorbike", "bike");
                    var matches = records.stream()
                            .filter(r -> r.topic().equals("footdata"))
                            .toList();
                    assertThat(matches.size()).isBetween(5, 25);
                    assertThat(read(matches.get(0)).get("homeTeam").get("name").asText())
                            .isNotBlank();
                });
    }

    @Test
    void failedRequestsAreCountedAndGiveExitCode3() throws Exception {
        withApi(
                (url, records) -> {
                    var out = new ByteArrayOutputStream();
                    var previous = System.out;
                    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                    try {
                        assertThat(generate("clickstream", "--count", "4", "--path", "/topics/nope", "--url", url))
                                .isEqualTo(GenerateCommand.EXIT_REQUESTS_FAILED)
                                .isEqualTo(3);
                    } finally {
                        System.setOut(previous);
                    }
                    assertThat(out.toString(StandardCharsets.UTF_8))
                            .contains("SUMMARY sent=4 failed=4")
                            .contains("statuses {404=4}");
                },
                records -> assertThat(records).isEmpty());
    }

    interface Body {
        void run(String url, java.util.function.Supplier<List<ProducerRecord<byte[], byte[]>>> records)
                throws Exception;
    }

    private static void withApi(Body body, Consumer<List<ProducerRecord<byte[], byte[]>>> check) throws Exception {
        var producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        var config = ApiConfig.from(Map.of("host", "127.0.0.1", "port", 0, "topics", List.of("clickstream", "images")));
        Javalin app = new ProducerApi(
                        config,
                        producer,
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                        ReadinessProbe.Result::up)
                .create()
                .start();
        try {
            body.run("http://127.0.0.1:" + app.port(), producer::history);
            check.accept(producer.history());
        } finally {
            app.stop();
        }
    }

    private static int generate(String... args) {
        var withQuiet = new String[args.length + 1];
        System.arraycopy(args, 0, withQuiet, 0, args.length);
        withQuiet[args.length] = "--no-progress";
        return new CommandLine(new GenerateCommand()).execute(withQuiet);
    }

    private static com.fasterxml.jackson.databind.JsonNode read(ProducerRecord<byte[], byte[]> r) {
        try {
            return JSON.readTree(r.value());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
