package io.streamloader.core.plugin;

import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.TransformFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink factories available to this process, by {@link SinkFactory#type()}, and the plugins that failed to load.
 *
 * <ol>
 *   <li>Built once at startup with {@link #builder()}: from a plugins directory (one sub-directory per plugin, each
 *       with its own {@link PluginClassLoader}, discovered in sorted order) and/or from given classloaders.
 *   <li>A broken plugin never stops the others from loading: it becomes a {@link PluginProblem}. The caller decides
 *       what is fatal; {@link #require(String)} fails for a type that is missing, naming the broken plugins.
 *   <li>A type provided twice is a problem too, and {@link #require(String)} refuses it, naming both jars.
 * </ol>
 *
 * <p>Immutable and thread-safe after {@link Builder#build()}. {@link #close()} closes the plugin classloaders; call it
 * only when no sink of a plugin is in use any more.
 */
public final class PluginRegistry implements AutoCloseable {

    private final Map<String, LoadedPlugin> plugins;
    private final Map<String, List<LoadedPlugin>> duplicates;
    private final List<PluginProblem> problems;
    private final List<String> searched;
    private final List<PluginClassLoader> loaders;
    private final Map<String, LoadedTransform> transforms;

    private PluginRegistry(Builder b, Map<String, LoadedPlugin> plugins, Map<String, List<LoadedPlugin>> duplicates) {
        this.transforms = Map.copyOf(b.uniqueTransforms());
        this.plugins = Map.copyOf(plugins);
        this.duplicates = Map.copyOf(duplicates);
        this.problems = List.copyOf(b.problems);
        this.searched = List.copyOf(b.searched);
        this.loaders = List.copyOf(b.loaders);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The registry of one plugins directory; see {@link Builder#addDirectory(Path)}. */
    public static PluginRegistry fromDirectory(Path pluginsDir) {
        return builder().addDirectory(pluginsDir).build();
    }

    /** The loaded plugins, one per type, sorted by type. Types provided twice are left out (see {@link #problems()}). */
    public List<LoadedPlugin> plugins() {
        return plugins.values().stream()
                .sorted(Comparator.comparing(LoadedPlugin::type))
                .toList();
    }

    /** What failed to load, in discovery order. */
    public List<PluginProblem> problems() {
        return problems;
    }

    /** The usable types, sorted. */
    public Set<String> types() {
        return new TreeSet<>(plugins.keySet());
    }

    public Optional<LoadedPlugin> find(String type) {
        return Optional.ofNullable(plugins.get(type));
    }

    /**
     * The plugin for {@code type}.
     *
     * @throws PluginException when no plugin provides it (listing the available types and the plugins that failed to
     *     load) or two do (naming both jars)
     */
    public LoadedPlugin require(String type) {
        List<LoadedPlugin> twice = duplicates.get(type);
        if (twice != null) {
            throw new PluginException("sink type '" + type + "' is provided by more than one plugin: "
                    + twice.stream().map(p -> p.factorySource().toString()).collect(Collectors.joining(" and "))
                    + "; remove all but one");
        }
        LoadedPlugin plugin = plugins.get(type);
        if (plugin != null) {
            return plugin;
        }
        StringBuilder sb = new StringBuilder("no plugin provides sink type '")
                .append(type)
                .append("'; available types: ")
                .append(types().isEmpty() ? "none" : String.join(", ", types()))
                .append(" (searched ")
                .append(String.join(", ", searched))
                .append(')');
        if (!problems.isEmpty()) {
            sb.append(". Plugins that failed to load, one of which may provide it:");
            problems.forEach(p -> sb.append("\n  - ").append(p.describe()));
        }
        throw new PluginException(sb.toString());
    }

    /**
     * The plugin transform factory of {@code type}, if exactly one plugin provides it (a type provided twice is in
     * {@link #problems()} and unusable).
     */
    public Optional<TransformFactory> transform(String type) {
        return Optional.ofNullable(transforms.get(type)).map(LoadedTransform::factory);
    }

    /** The loaded plugin transforms, sorted by type. */
    public List<LoadedTransform> transforms() {
        return transforms.values().stream()
                .sorted(Comparator.comparing(LoadedTransform::type))
                .toList();
    }

    /** The factory for {@code type}; see {@link #require(String)}. */
    public SinkFactory<?> factory(String type) {
        return require(type).factory();
    }

    /** Closes the plugin classloaders. Idempotent. */
    @Override
    public void close() {
        for (PluginClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LoggerFactory.getLogger(PluginRegistry.class).warn("Could not close {}", loader, e);
            }
        }
    }

    /** Collects plugins from directories and classloaders. Not thread-safe; use it once. */
    public static final class Builder {
        private static final Logger log = LoggerFactory.getLogger(PluginRegistry.class);

        private final List<LoadedPlugin> found = new ArrayList<>();
        private final List<PluginProblem> problems = new ArrayList<>();
        private final List<String> searched = new ArrayList<>();
        private final List<PluginClassLoader> loaders = new ArrayList<>();
        private final List<LoadedTransform> foundTransforms = new ArrayList<>();

        private Builder() {}

        /** Transform types provided once; a type provided more than once becomes a problem. */
        private Map<String, LoadedTransform> uniqueTransforms() {
            Map<String, List<LoadedTransform>> byType = new LinkedHashMap<>();
            foundTransforms.forEach(t ->
                    byType.computeIfAbsent(t.type(), k -> new ArrayList<>()).add(t));
            Map<String, LoadedTransform> unique = new LinkedHashMap<>();
            byType.forEach((type, list) -> {
                if (list.size() == 1) {
                    unique.put(type, list.getFirst());
                } else {
                    List<Path> sources =
                            list.stream().map(LoadedTransform::source).toList();
                    problems.add(new PluginProblem(
                            sources.getFirst(),
                            sources,
                            "transform type '" + type + "' is provided by "
                                    + sources.stream().map(Path::toString).collect(Collectors.joining(" and ")),
                            "remove all but one of these jars; the type is unusable until then",
                            Optional.empty()));
                }
            });
            return unique;
        }

        /**
         * Loads every sub-directory of {@code pluginsDir} as a plugin, in sorted order. A directory that does not exist
         * gives no plugins (a run from the classpath needs none); a jar lying directly in it is a problem.
         */
        public Builder addDirectory(Path pluginsDir) {
            boolean exists = Files.isDirectory(pluginsDir);
            searched.add(pluginsDir.toAbsolutePath() + (exists ? "" : " (does not exist)"));
            if (!exists) {
                log.info("Plugins directory {} does not exist; no plugins loaded from it", pluginsDir);
            }
            PluginDirectories.load(pluginsDir).forEach(this::add);
            return this;
        }

        /** Adds the factories that {@code ServiceLoader.load(SinkFactory.class, loader)} finds, for tests and IDEs. */
        public Builder addClassLoader(ClassLoader loader) {
            searched.add("classloader " + loader.getName());
            add(FactoryLoading.fromClassLoader(loader));
            return this;
        }

        private void add(FactoryLoading.Result result) {
            result.plugins().forEach(p -> log.info("Loaded sink plugin {}", p));
            result.problems()
                    .forEach(p -> log.warn(
                            "Sink plugin not loaded: {}",
                            p.describe(),
                            p.cause().orElse(null)));
            result.transforms().forEach(t -> log.info("Loaded transform plugin {} from {}", t.type(), t.source()));
            found.addAll(result.plugins());
            foundTransforms.addAll(result.transforms());
            problems.addAll(result.problems());
            result.loader().ifPresent(loaders::add);
        }

        public PluginRegistry build() {
            Map<String, List<LoadedPlugin>> byType = new LinkedHashMap<>();
            found.forEach(p ->
                    byType.computeIfAbsent(p.type(), t -> new ArrayList<>()).add(p));
            Map<String, LoadedPlugin> unique = new LinkedHashMap<>();
            Map<String, List<LoadedPlugin>> duplicates = new LinkedHashMap<>();
            byType.forEach((type, list) -> {
                if (list.size() == 1) {
                    unique.put(type, list.getFirst());
                } else {
                    duplicates.put(type, List.copyOf(list));
                    problems.add(duplicateProblem(type, list));
                }
            });
            return new PluginRegistry(this, unique, duplicates);
        }

        private static PluginProblem duplicateProblem(String type, List<LoadedPlugin> list) {
            List<Path> sources = list.stream().map(LoadedPlugin::factorySource).toList();
            return new PluginProblem(
                    list.get(1).location(),
                    sources,
                    "sink type '" + type + "' is provided by "
                            + sources.stream().map(Path::toString).collect(Collectors.joining(" and ")),
                    "remove all but one of these jars; the type is unusable until then",
                    Optional.empty());
        }
    }
}
