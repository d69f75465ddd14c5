package io.streamloader.launcher;

import io.streamloader.core.plugin.LoadedPlugin;
import io.streamloader.core.plugin.PluginProblem;
import io.streamloader.core.plugin.PluginRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamloader plugins list|verify}. */
@Command(
        name = "plugins",
        mixinStandardHelpOptions = true,
        description = "Inspect sink plugins (one directory per plugin under plugins/).",
        subcommands = {PluginsCommand.ListPlugins.class, PluginsCommand.Verify.class})
final class PluginsCommand {

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description =
                    "Lists the installed plugins: type, version, directory and jars; and any that failed to load.")
    static final class ListPlugins implements Callable<Integer> {
        @Option(
                names = "--dir",
                paramLabel = "DIR",
                description = "Plugins directory (default: plugins/ of the distribution).")
        Path dir;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Path plugins = dir != null ? dir : Startup.resolve(Path.of("plugins"));
            print(plugins, spec.commandLine().getOut(), spec.commandLine().getErr());
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = {
                "Loads every plugin of DIR as `run` would and reports each one's type, version and jar, or exactly",
                "why it failed and how to fix it. Exit code 2 if any plugin failed to load."
            })
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "A plugins directory (holding one directory per plugin).")
        Path dir;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!Files.isDirectory(dir)) {
                spec.commandLine().getErr().println(dir + " is not a directory");
                return ExitCodes.INVALID;
            }
            int problems =
                    print(dir, spec.commandLine().getOut(), spec.commandLine().getErr());
            return problems == 0 ? ExitCodes.OK : ExitCodes.INVALID;
        }
    }

    /** Prints the plugins found in {@code dir}; returns how many failed to load. */
    static int print(Path dir, PrintWriter out, PrintWriter err) {
        try (PluginRegistry registry = PluginRegistry.fromDirectory(dir)) {
            out.println("plugins in " + dir.toAbsolutePath() + ":");
            if (registry.plugins().isEmpty() && registry.problems().isEmpty()) {
                out.println("  (none)");
            }
            for (LoadedPlugin plugin : registry.plugins()) {
                out.printf(
                        "  %-16s %-16s %s [%s]%n",
                        plugin.type(),
                        plugin.version(),
                        plugin.location(),
                        plugin.jars().stream()
                                .map(j -> j.getFileName().toString())
                                .collect(Collectors.joining(", ")));
            }
            for (PluginProblem problem : registry.problems()) {
                err.println("  FAILED " + problem.describe());
            }
            return registry.problems().size();
        }
    }
}
