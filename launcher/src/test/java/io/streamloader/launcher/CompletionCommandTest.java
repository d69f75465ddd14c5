package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {
    @TempDir
    Path dir;

    /** What bash offers after {@code words} (the last one being completed), with the script sourced. */
    private List<String> complete(Path script, String... words) throws Exception {
        String line = "streamloader " + String.join(" ", words);
        String shell = "source " + script + "\nCOMP_WORDS=(" + line + ")\nCOMP_CWORD=" + words.length
                + "\nCOMP_LINE='" + line + "'\nCOMP_POINT=${#COMP_LINE}\n_complete_streamloader\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process bash = new ProcessBuilder("bash", "-c", shell)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void theScriptCompletesCommandsSubcommandsAndOptionsInBash() throws Exception {
        CliTesting cli = new CliTesting();
        assertThat(cli.run("completion")).isZero();
        Path script = dir.resolve("streamloader.bash");
        Files.writeString(script, cli.out.toString());

        assertThat(complete(script, "pl")).containsExactly("plugins");
        assertThat(complete(script, "plugins", "")).contains("list", "verify");
        assertThat(complete(script, "config", "check", "--log-l")).containsExactly("--log-level");
        assertThat(complete(script, "run", "--env")).containsExactly("--env-file");
        assertThat(complete(script, "plugins", "list", "--log-level", "")).contains("debug", "warn", "off");
        assertThat(complete(script, "dev", "--log-format", "j")).containsExactly("json");
    }
}
