package io.streamloader.core.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The classloader of one plugin directory. Its parent is the platform classloader, so the host's classpath
 * (streamloader internals, Jackson, Kafka, ...) is invisible to the plugin and the plugin may bundle any version of
 * any library.
 *
 * <p>Where a class comes from, in order:
 *
 * <ol>
 *   <li>{@code io.streamloader.spi.*} and {@code org.slf4j.*}: from the host, so that the plugin's factory implements
 *       the host's {@code SinkFactory} and logs through the host's logging, even if the plugin bundles copies.
 *   <li>Packages of the JDK's platform and boot modules ({@code java.*}, {@code javax.sql}, ...): from the platform
 *       loader, so a jar bundling an old API copy cannot shadow the JDK.
 *   <li>Everything else: from the plugin's jars first, then the platform loader.
 * </ol>
 *
 * <p>Resources follow rule 3: the plugin's jars first. Thread-safe (parallel capable).
 */
public final class PluginClassLoader extends URLClassLoader {

    /** Package prefixes shared with the host: the SPI and the logging API. */
    public static final List<String> HOST_PACKAGES = List.of("io.streamloader.spi.", "org.slf4j.");

    private static final Set<String> PLATFORM_PACKAGES = platformPackages();

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final Path pluginDir;
    private final ClassLoader hostLoader;

    /**
     * @param pluginDir the plugin's directory, for messages
     * @param jars the plugin's jars, in the order classes are looked up
     * @param hostLoader the loader that loaded {@code io.streamloader.spi.SinkFactory}
     */
    public PluginClassLoader(Path pluginDir, List<Path> jars, ClassLoader hostLoader) {
        super("plugin:" + pluginDir.getFileName(), urls(jars), ClassLoader.getPlatformClassLoader());
        this.pluginDir = pluginDir;
        this.hostLoader = Objects.requireNonNull(hostLoader, "hostLoader");
    }

    /** The plugin directory this loader reads. */
    public Path pluginDir() {
        return pluginDir;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (HOST_PACKAGES.stream().anyMatch(name::startsWith)) {
            return hostLoader.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = isPlatformClass(name) ? getParent().loadClass(name) : ownFirst(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> ownFirst(String name) throws ClassNotFoundException {
        try {
            return findClass(name);
        } catch (ClassNotFoundException e) {
            return getParent().loadClass(name);
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    /** The plugin's own copies of resource {@code name}, without the platform's. */
    List<URL> ownResources(String name) {
        try {
            return Collections.list(findResources(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + pluginDir + "]";
    }

    private static boolean isPlatformClass(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && PLATFORM_PACKAGES.contains(name.substring(0, dot));
    }

    private static Set<String> platformPackages() {
        ClassLoader platform = ClassLoader.getPlatformClassLoader();
        return ModuleLayer.boot().modules().stream()
                .filter(m -> m.getClassLoader() == null || m.getClassLoader() == platform)
                .flatMap(m -> m.getPackages().stream())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static URL[] urls(List<Path> jars) {
        return jars.stream()
                .map(jar -> {
                    try {
                        return jar.toUri().toURL();
                    } catch (MalformedURLException e) {
                        throw new IllegalArgumentException("cannot make a URL of " + jar, e);
                    }
                })
                .toArray(URL[]::new);
    }
}
