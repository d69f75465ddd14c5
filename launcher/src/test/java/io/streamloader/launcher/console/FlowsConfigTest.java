package io.streamloader.launcher.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.ConfigProblems;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowsConfigTest {

    private static final String DEV_TOPICS = """
            kafka: { bootstrap-servers: "localhost:9092" }
            topics:
              somedata: {}
              footdata: {}
              events: {}
              images: {}
              click_events: { config: { cleanup.policy: compact } }
            """;

    private static FlowsConfig bind(String yaml, ConfigProblems problems) {
        return FlowsConfig.from(ConfigLoader.parse(yaml, Map.of()), problems);
    }

    @Test
    void defaultsTurnOnEveryViewWhoseDefaultTopicIsListedAsDevYamlListsThem() {
        ConfigProblems problems = new ConfigProblems();
        FlowsConfig config = bind(DEV_TOPICS, problems);
        assertThat(problems.list()).isEmpty();
        assertThat(config.views())
                .containsExactly(
                        new FlowsConfig.View(FlowsConfig.Kind.FLEET, "events", 500),
                        new FlowsConfig.View(FlowsConfig.Kind.CLICKS, "click_events", 2000),
                        new FlowsConfig.View(FlowsConfig.Kind.IMAGES, "images", 12),
                        new FlowsConfig.View(FlowsConfig.Kind.MATCHES, "footdata", 50),
                        new FlowsConfig.View(FlowsConfig.Kind.SOMEDATA, "somedata", 20));
    }

    @Test
    void aViewWhoseDefaultTopicIsNotListedIsOffWithoutAProblem() {
        ConfigProblems problems = new ConfigProblems();
        FlowsConfig config = bind("""
                kafka: { bootstrap-servers: "localhost:9092" }
                topics: { images: {} }
                """, problems);
        assertThat(problems.list()).isEmpty();
        assertThat(config.views()).extracting(FlowsConfig.View::kind).containsExactly(FlowsConfig.Kind.IMAGES);
    }

    @Test
    void everyKeyIsMapped() {
        ConfigProblems problems = new ConfigProblems();
        FlowsConfig config = bind(DEV_TOPICS + """
                  telemetry: {}
                console:
                  flows:
                    fleet: { enabled: true, topic: telemetry, records: 7 }
                    clicks: { enabled: false }
                    images: { topic: images, records: 3 }
                    matches: { records: 5000 }
                    somedata: { enabled: false, topic: not-listed-but-off }
                """, problems);
        assertThat(problems.list()).isEmpty();
        assertThat(config.views())
                .containsExactly(
                        new FlowsConfig.View(FlowsConfig.Kind.FLEET, "telemetry", 7),
                        new FlowsConfig.View(FlowsConfig.Kind.IMAGES, "images", 3),
                        new FlowsConfig.View(FlowsConfig.Kind.MATCHES, "footdata", 5000));
    }

    @Test
    void mistakesAreProblemsNamingTheirKey() {
        ConfigProblems problems = new ConfigProblems();
        bind(DEV_TOPICS + """
                console:
                  flows:
                    fleet: { topic: nowhere }
                    images: { records: 0 }
                    matches: { record: 5 }
                    maps: {}
                  other: 1
                """, problems);
        assertThat(String.join("\n", problems.list()))
                .contains("console.flows.fleet.topic")
                .contains("'nowhere' is not listed under topics:")
                .contains("console.flows.images.records")
                .contains("console.flows.matches.record")
                .contains("console.flows.maps")
                .contains("console.other");
        assertThat(problems.list()).hasSize(5);
    }
}
