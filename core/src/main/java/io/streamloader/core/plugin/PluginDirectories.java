package io.streamloader.core.plugin;

import io.streamloader.spi.SinkFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Walks a plugins directory: each sub-directory, in sorted order, is one plugin with its own classloader. */
final class PluginDirectories {

    private PluginDirectories() {}

    /**
     * Loads every plugin under {@code pluginsDir}; an absent directory gives nothing, a jar lying directly in it is a
     * problem (it belongs to no plugin), other files are ignored.
     */
    static List<FactoryLoading.Result> load(Path pluginsDir) {
        if (!Files.isDirectory(pluginsDir)) {
            return List.of();
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(pluginsDir)) {
            entries = list.sorted().toList();
        } catch (IOException e) {
            return List.of(unreadable(pluginsDir, e));
        }
        List<FactoryLoading.Result> results = new ArrayList<>();
        for (Path entry : entries) {
            if (Files.isDirectory(entry)) {
                try {
                    results.add(FactoryLoading.fromDirectory(entry, SinkFactory.class.getClassLoader()));
                } catch (IOException e) {
                    results.add(unreadable(entry, e));
                }
            } else if (entry.getFileName().toString().endsWith(".jar")) {
                results.add(problem(new PluginProblem(
                        entry,
                        List.of(entry),
                        "the jar lies directly in the plugins directory",
                        "move it into a directory of its own: " + pluginsDir.resolve("<plugin-name>") + "/",
                        Optional.empty())));
            }
        }
        return results;
    }

    private static FactoryLoading.Result unreadable(Path dir, IOException e) {
        return problem(new PluginProblem(
                dir, List.of(), "cannot list the directory: " + e, "check its permissions", Optional.of(e)));
    }

    private static FactoryLoading.Result problem(PluginProblem problem) {
        return new FactoryLoading.Result(List.of(), List.of(problem), Optional.empty());
    }
}
