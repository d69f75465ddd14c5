package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.testing.TestingPluginJars;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsCommandTest {
    @TempDir
    Path dir;

    private final CliTesting cli = new CliTesting();

    private TestingPluginJars goodPlugin() {
        TestingPluginJars jars = new TestingPluginJars(dir);
        jars.plugin("echo")
                .jar(
                        "echo-1.2.jar",
                        jar -> jar.source(
                                        "com.example.echo.EchoFactory",
                                        TestingPluginJars.echoFactory("com.example.echo.EchoFactory", "echo"))
                                .service("com.example.echo.EchoFactory")
                                .version("1.2"));
        return jars;
    }

    @Test
    void verifyListsTypeVersionAndJarOfAGoodPlugin() {
        TestingPluginJars jars = goodPlugin();
        assertThat(cli.run("plugins", "verify", jars.pluginsDir().toString())).isZero();
        assertThat(cli.out.toString()).contains("echo").contains("1.2").contains("echo-1.2.jar");
        assertThat(cli.err.toString()).isEmpty();
    }

    @Test
    void verifyExplainsABrokenPluginAndExitsTwoWhileListingTheGoodOne() {
        TestingPluginJars jars = goodPlugin();
        jars.plugin("noservice")
                .jar(
                        "noservice.jar",
                        jar -> jar.source(
                                "com.example.quiet.QuietFactory",
                                TestingPluginJars.echoFactory("com.example.quiet.QuietFactory", "quiet")));
        assertThat(cli.run("plugins", "verify", jars.pluginsDir().toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(cli.out.toString()).contains("echo-1.2.jar");
        assertThat(cli.err.toString())
                .contains("FAILED")
                .contains("noservice.jar")
                .contains("META-INF/services/io.streamloader.spi.SinkFactory");
    }

    @Test
    void verifyOfAMissingDirectoryIsAnError() {
        assertThat(cli.run("plugins", "verify", dir.resolve("nope").toString())).isEqualTo(ExitCodes.INVALID);
        assertThat(cli.err.toString()).contains("is not a directory");
    }

    @Test
    void listShowsTheInstalledPlugins() {
        TestingPluginJars jars = goodPlugin();
        assertThat(cli.run("plugins", "list", "--dir", jars.pluginsDir().toString()))
                .isZero();
        assertThat(cli.out.toString()).contains("echo").contains("1.2");
    }
}
