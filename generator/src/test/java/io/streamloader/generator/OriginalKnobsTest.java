package io.streamloader.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The generators reproduce the originals' knobs and defaults, checked on the requests they build. */
class OriginalKnobsTest {
    private static final URI BASE = URI.create("http://localhost:8080");

    static byte[] body(Workload.Request request) {
        assertThat(request.body()).isNotNull();
        return request.body();
    }

    @Test
    void clicksArePositionalArraysOfTheEightColumnsAtTenPerSecond() throws Exception {
        Clickstream clicks = new Clickstream("/topics/clickstream", 1, 0, 1, true);
        JsonNode click = new ObjectMapper().readTree(body(clicks.request(BASE, 0, new Random(1))));
        assertThat(click.isArray()).isTrue();
        assertThat(click).hasSize(8).allSatisfy(v -> assertThat(v.isTextual()).isTrue());
        assertThat(click.get(1).asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        assertThat(click.get(2).asText()).startsWith("http://");
        assertThat(clicks.naturalRate()).isEqualTo(10.0);
        assertThat(new Clickstream("/x", 5, 0, 1, true).naturalRate()).isEqualTo(2.0);
        JsonNode object = new ObjectMapper()
                .readTree(body(new Clickstream("/x", 1, 0, 1, false).request(BASE, 0, new Random(1))));
        assertThat(object.isObject()).isTrue();
    }

    @Test
    void fleetTakesMakeModelAndVelocityKnobs() {
        Fleet fleet = new Fleet("/events", 50, 3, 7, "Volvo", "FH16", new double[] {1, 0, 10});
        for (int i = 0; i < 50; i++) {
            Fleet.Vehicle v = fleet.vehicle(i);
            assertThat(v.make()).isEqualTo("Volvo");
            assertThat(v.model()).isEqualTo("FH16");
            assertThat(v.vx()).isBetween(0.0, 1.0);
            assertThat(v.vy()).isZero();
            assertThat(v.vz()).isBetween(0.0, 10.0);
        }
        Fleet defaults = new Fleet("/events", 50, 3, 7);
        List<String> models = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            assertThat(defaults.vehicle(i).make()).isEqualTo("Ford");
            assertThat(defaults.vehicle(i).vz()).isBetween(0.0, 100.0);
            models.add(defaults.vehicle(i).model());
        }
        assertThat(models.stream().distinct().count()).isGreaterThan(1);
        assertThat(Fleet.form(new Fleet.Vehicle("V", "Land Rover", "A&B", 0, 0, 0, System.nanoTime())))
                .contains("make=Land+Rover&model=A%26B&");
        assertThat(fleet.naturalRate()).isEqualTo(50 / 3.0);
    }

    @Test
    void imagesAreFullHdAtThreePerSecondByDefault() throws Exception {
        GenerateCommand command = new GenerateCommand();
        new CommandLine(command).parseArgs("images");
        Workload images = command.workload();
        assertThat(images.naturalRate()).isEqualTo(3.0);
        byte[] png = body(images.request(BASE, 0, new Random(3)));
        var image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(1920);
        assertThat(image.getHeight()).isEqualTo(1080);
    }

    @Test
    void somedataAndFootdataCallEveryTenSecondsUnlessToldOtherwise() {
        assertThat(Seed002.somedata("/somedata").naturalRate()).isEqualTo(0.1);
        assertThat(Seed002.footdata("/footdata").naturalRate()).isEqualTo(0.1);
        var converter = new GenerateCommand.RateConverter();
        assertThat(converter.convert("max")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(converter.convert(" 2.5 ")).isEqualTo(2.5);
        assertThat(converter.convert("0")).isZero();
    }

    @Test
    void commandLineKnobsReachTheWorkloads() {
        GenerateCommand command = new GenerateCommand();
        new CommandLine(command)
                .parseArgs("fleet", "--make", "Volvo", "--model", "FH16", "--velocity", "1,2,3", "--vehicles", "2");
        Fleet fleet = (Fleet) command.workload();
        assertThat(fleet.vehicle(0).model()).isEqualTo("FH16");
        assertThat(fleet.vehicle(1).vz()).isBetween(0.0, 3.0);

        GenerateCommand bad = new GenerateCommand();
        new CommandLine(bad).parseArgs("fleet", "--velocity", "1,2");
        assertThatThrownBy(bad::workload).hasMessageContaining("--velocity must be three");
        GenerateCommand shape = new GenerateCommand();
        new CommandLine(shape).parseArgs("clickstream", "--click-shape", "tuple");
        assertThatThrownBy(shape::workload).hasMessageContaining("--click-shape must be positional or object");
        GenerateCommand clicks = new GenerateCommand();
        new CommandLine(clicks).parseArgs("clickstream");
        assertThat(clicks.workload().naturalRate()).isEqualTo(10.0);
    }
}
