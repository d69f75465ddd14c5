package io.streamloader.core.plugin;

import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.TransformFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds the {@link SinkFactory} implementations of one plugin directory or classloader with {@link ServiceLoader},
 * turning every failure into a {@link PluginProblem} instead of an exception.
 */
@SuppressWarnings("try") // the ThreadContextClassLoader resource is used for its side effect only
final class FactoryLoading {

    /** What one directory or classloader gave; {@code loader} is the classloader created for a directory. */
    record Result(
            List<LoadedPlugin> plugins,
            List<LoadedTransform> transforms,
            List<PluginProblem> problems,
            Optional<PluginClassLoader> loader) {
        Result(List<LoadedPlugin> plugins, List<PluginProblem> problems, Optional<PluginClassLoader> loader) {
            this(plugins, List.of(), problems, loader);
        }
    }

    private static final int MAX_PROVIDERS = 1000;
    static final String TRANSFORM_SERVICE_FILE = "META-INF/services/" + TransformFactory.class.getName();

    private FactoryLoading() {}

    /** Loads {@code pluginDir/*.jar} (sorted) in a new {@link PluginClassLoader}. */
    static Result fromDirectory(Path pluginDir, ClassLoader hostLoader) throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(pluginDir)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        }
        if (jars.isEmpty()) {
            return problemOnly(new PluginProblem(
                    pluginDir,
                    jars,
                    "the directory holds no jar",
                    "put the plugin's jar and the jars it depends on in " + pluginDir + ", or remove the directory",
                    Optional.empty()));
        }
        PluginClassLoader loader = new PluginClassLoader(pluginDir, jars, hostLoader);
        if (loader.ownResources(PluginFailures.SERVICE_FILE).isEmpty()
                && loader.ownResources(TRANSFORM_SERVICE_FILE).isEmpty()) {
            loader.close();
            return problemOnly(PluginFailures.noServiceFile(pluginDir, jars));
        }
        List<LoadedPlugin> plugins = new ArrayList<>();
        List<PluginProblem> problems = new ArrayList<>();
        List<LoadedTransform> transforms = new ArrayList<>();
        load(loader, pluginDir, jars, plugins, problems);
        loadTransforms(loader, pluginDir, jars, transforms, problems);
        if (plugins.isEmpty() && transforms.isEmpty() && problems.isEmpty()) {
            problems.add(PluginFailures.noFactoryListed(pluginDir, jars));
        }
        return new Result(plugins, transforms, problems, Optional.of(loader));
    }

    /** Loads the factories visible to {@code loader}, for tests and runs from an IDE. */
    static Result fromClassLoader(ClassLoader loader) {
        List<LoadedPlugin> plugins = new ArrayList<>();
        List<PluginProblem> problems = new ArrayList<>();
        List<LoadedTransform> transforms = new ArrayList<>();
        load(loader, null, null, plugins, problems);
        loadTransforms(loader, null, null, transforms, problems);
        return new Result(plugins, transforms, problems, Optional.empty());
    }

    private static void load(
            ClassLoader loader, Path dir, List<Path> jars, List<LoadedPlugin> plugins, List<PluginProblem> problems) {
        Path location = dir == null ? Path.of("classpath") : dir;
        List<Path> locationJars = jars == null ? List.of() : jars;
        try (var ignored = new ThreadContextClassLoader(loader)) {
            @SuppressWarnings("rawtypes") // ServiceLoader knows the class, not its type argument
            Iterator<SinkFactory> providers =
                    ServiceLoader.load(SinkFactory.class, loader).iterator();
            // After a failing provider the iterator moves on to the next one; the bound guards against a loop.
            for (int i = 0; i < MAX_PROVIDERS; i++) {
                try {
                    if (!providers.hasNext()) {
                        return;
                    }
                    SinkFactory<?> factory = providers.next();
                    Path source = sourceOf(factory.getClass()).orElse(location);
                    plugins.add(describe(
                            factory, dir == null ? source : dir, jars == null ? List.of(source) : jars, source));
                } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                    problems.add(PluginFailures.of(location, locationJars, e));
                }
            }
        }
    }

    /** The {@link TransformFactory} providers, found like the sink factories: every failure a problem. */
    private static void loadTransforms(
            ClassLoader loader,
            Path dir,
            List<Path> jars,
            List<LoadedTransform> transforms,
            List<PluginProblem> problems) {
        Path location = dir == null ? Path.of("classpath") : dir;
        List<Path> locationJars = jars == null ? List.of() : jars;
        try (var ignored = new ThreadContextClassLoader(loader)) {
            Iterator<TransformFactory> providers =
                    ServiceLoader.load(TransformFactory.class, loader).iterator();
            for (int i = 0; i < MAX_PROVIDERS; i++) {
                try {
                    if (!providers.hasNext()) {
                        return;
                    }
                    TransformFactory factory = providers.next();
                    if (dir != null && factory.getClass().getClassLoader() != loader) {
                        continue; // the host's own (for example the built-ins' test providers), not this plugin's
                    }
                    Path source = sourceOf(factory.getClass()).orElse(location);
                    transforms.add(LoadedTransform.of(factory, source));
                } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                    problems.add(PluginFailures.of(location, locationJars, e));
                }
            }
        }
    }

    private static LoadedPlugin describe(SinkFactory<?> factory, Path location, List<Path> jars, Path source) {
        ClassLoader loader = factory.getClass().getClassLoader();
        ClassLoaderSafeSinkFactory<?> safe = new ClassLoaderSafeSinkFactory<>(factory, loader);
        String type = safe.type();
        if (type == null || type.isBlank()) {
            throw new IllegalStateException(factory.getClass().getName() + ".type() returned no type");
        }
        String version;
        try {
            version = safe.version();
        } catch (RuntimeException | LinkageError e) {
            version = "unknown";
        }
        return new LoadedPlugin(type, safe, version == null ? "unknown" : version, location, jars, source, loader);
    }

    static Optional<Path> sourceOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        try {
            return source == null || source.getLocation() == null
                    ? Optional.empty()
                    : Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Result problemOnly(PluginProblem problem) {
        return new Result(List.of(), List.of(problem), Optional.empty());
    }
}
