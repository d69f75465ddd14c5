package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.core.config.ConfigLoader;
import io.streamloader.core.config.StreamloaderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is checked against the code: every YAML block in it passes the same validation as {@code
 * config check}, with the distribution's real sink plugins, so a documented key that does not exist fails the build.
 */
class ConfigurationReferenceIT {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyExampleInTheReferenceIsValid() throws IOException {
        Path doc = Path.of("..", "docs", "configuration.md");
        Matcher m = YAML_BLOCK.matcher(Files.readString(doc));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(6);
        Path plugins = Path.of("target", "streamloader", "plugins").toAbsolutePath();
        for (String block : blocks) {
            String yaml = block.replace(
                            "templates.click_events.file: sink-elasticsearch/",
                            "templates.click_events.file: ../sink-elasticsearch/")
                    + "\nplugins:\n  dir: " + plugins + "\n";
            if (block.contains("plugins:")) {
                yaml = block;
            }
            StreamloaderConfig config = ConfigLoader.parse(yaml, Map.of());
            if (config.sinks().isEmpty() && !config.api().isPresent()) {
                continue; // a block of shared sections only: parsing it validated every key
            }
            try (Startup startup = Startup.validate("docs/configuration.md", config)) {
                assertThat(startup.sinks().keySet())
                        .containsAll(config.sinks().stream().map(s -> s.name()).toList());
            }
        }
    }
}
