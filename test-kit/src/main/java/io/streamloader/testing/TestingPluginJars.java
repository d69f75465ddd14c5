package io.streamloader.testing;

import io.streamloader.spi.SinkFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds real plugin directories for tests: Java sources compiled during the test against the SPI and SLF4J (what a
 * plugin sees from the host) and written as jars under {@code plugins/<name>/}. Broken plugins are built the same
 * way: leave out the service file, make a constructor private, {@link JarSpec#omit} a dependency.
 *
 * <pre>{@code
 * TestingPluginJars jars = new TestingPluginJars(tempDir);
 * jars.plugin("echo").jar("echo-sink-1.0.jar", jar -> jar
 *         .source("com.example.EchoFactory", TestingPluginJars.echoFactory("com.example.EchoFactory", "echo"))
 *         .service("com.example.EchoFactory")
 *         .version("1.0"));
 * PluginRegistry registry = PluginRegistry.fromDirectory(jars.pluginsDir());
 * }</pre>
 */
public final class TestingPluginJars {

    /** Where a jar lists its sink factories for {@link java.util.ServiceLoader}. */
    public static final String SERVICE_FILE = "META-INF/services/" + SinkFactory.class.getName();

    /** The reason an {@link #echoFactory echo sink} reports by default: where open/newWriter and write ran. */
    public static final String TCCL_REASON = "\"create-tccl=\" + createTccl + \" write-tccl=\" + writeTccl";

    private final Path pluginsDir;
    private final Path buildDir;

    /** Plugins go to {@code workDir/plugins}, build files to {@code workDir/build}. */
    public TestingPluginJars(Path workDir) {
        this.pluginsDir = workDir.resolve("plugins");
        this.buildDir = workDir.resolve("build");
    }

    /**
     * A plugins directory under {@code workDir} holding one plugin, {@code echo}: its sink dead-letters every event
     * with a reason naming the classloaders its code ran under (see {@link #echoFactory}).
     */
    public static Path echoPlugin(Path workDir) {
        TestingPluginJars jars = new TestingPluginJars(workDir);
        jars.plugin("echo")
                .jar(
                        "echo.jar",
                        jar -> jar.source(
                                        "com.example.echo.EchoFactory",
                                        echoFactory("com.example.echo.EchoFactory", "echo"))
                                .service("com.example.echo.EchoFactory"));
        return jars.pluginsDir();
    }

    public Path pluginsDir() {
        return pluginsDir;
    }

    /** A plugin directory {@code plugins/<name>}; add jars to it in dependency order. */
    public PluginBuilder plugin(String name) {
        return new PluginBuilder(pluginsDir.resolve(name));
    }

    /** Builds one plugin directory. */
    public final class PluginBuilder {
        private final Path dir;
        private final List<Path> jars = new ArrayList<>();

        private PluginBuilder(Path dir) {
            this.dir = dir;
        }

        /** Compiles the spec's sources against the SPI, SLF4J and this plugin's earlier jars, and writes the jar. */
        public PluginBuilder jar(String fileName, Consumer<JarSpec> spec) {
            JarSpec jar = new JarSpec();
            spec.accept(jar);
            Path jarFile = dir.resolve(fileName);
            writeJar(jarFile, jar, compile(buildDir.resolve(dir.getFileName() + "-" + fileName), jar));
            jars.add(jarFile);
            return this;
        }

        public Path dir() {
            return dir;
        }

        public List<Path> jars() {
            return List.copyOf(jars);
        }

        private Map<String, byte[]> compile(Path work, JarSpec jar) {
            List<Path> classpath =
                    new ArrayList<>(List.of(locationOf(SinkFactory.class), locationOf(org.slf4j.Logger.class)));
            classpath.addAll(jars);
            return TestingPluginJars.compile(work, jar.sources, classpath);
        }
    }

    /** The contents of one jar. */
    public static final class JarSpec {
        private final Map<String, String> sources = new LinkedHashMap<>();
        private final List<String> services = new ArrayList<>();
        private final Set<String> omitted = new TreeSet<>();
        private final Map<String, String> resources = new TreeMap<>();
        private String version;

        /** Adds a Java source for class {@code className} (fully qualified). */
        public JarSpec source(String className, String code) {
            sources.put(className, code);
            return this;
        }

        /** Lists classes in {@code META-INF/services/io.streamloader.spi.SinkFactory}. */
        public JarSpec service(String... factoryClassNames) {
            services.addAll(List.of(factoryClassNames));
            return this;
        }

        /** Sets the manifest's {@code Implementation-Version}. */
        public JarSpec version(String implementationVersion) {
            this.version = implementationVersion;
            return this;
        }

        /** Compiles {@code className} but leaves it out of the jar: a dependency missing at run time. */
        public JarSpec omit(String className) {
            omitted.add(className);
            return this;
        }

        /** Adds a text resource. */
        public JarSpec resource(String path, String content) {
            resources.put(path, content);
            return this;
        }
    }

    /**
     * Source of a factory whose sinks report every event back as a permanent failure with {@code reasonExpression}
     * (a Java expression; {@code createTccl} and {@code writeTccl} say whether the context classloader was the
     * plugin's in {@code open} and {@code newWriter}, and in {@code write}), so a test sees what ran inside the plugin.
     * {@code parse} and
     * {@code checkHealth} throw when the context classloader is not the plugin's. Secret key: {@code password}.
     */
    public static String echoFactory(
            String className,
            String type,
            String constructorModifier,
            String constructorBody,
            String reasonExpression) {
        int dot = className.lastIndexOf('.');
        String pkg = className.substring(0, dot);
        String simple = className.substring(dot + 1);
        return """
                package %1$s;

                import io.streamloader.spi.*;
                import java.util.List;
                import java.util.Set;

                public class %2$s implements SinkFactory<String> {
                    %3$s %2$s() { %4$s }

                    static boolean pluginTccl() {
                        return Thread.currentThread().getContextClassLoader() == %2$s.class.getClassLoader();
                    }

                    @Override public String type() { return "%5$s"; }

                    @Override public String parse(SinkContext context) {
                        if (!pluginTccl()) throw new SinkConfigException(List.of("parse ran with the host's TCCL"));
                        return context.name();
                    }

                    @Override public Set<String> secretKeys() { return Set.of("password"); }

                    @Override public Sink open(SinkContext context, String config) {
                        final boolean openTccl = pluginTccl();
                        return new Sink() {
                            @Override public SinkWriter newWriter() {
                                final boolean createTccl = openTccl && pluginTccl();
                                return batch -> {
                                    final boolean writeTccl = pluginTccl();
                                    String reason = String.valueOf(%6$s);
                                    return WriteResult.failed(
                                            batch.stream().map(e -> EventFailure.permanent(e, reason, "echo")).toList());
                                };
                            }
                            @Override public void checkHealth() {
                                if (!pluginTccl()) throw new IllegalStateException("checkHealth ran with the host's TCCL");
                            }
                            @Override public void close() {}
                        };
                    }
                }
                """.formatted(pkg, simple, constructorModifier, constructorBody, type, reasonExpression);
    }

    /** A well-behaved echo factory reporting {@link #TCCL_REASON}. */
    public static String echoFactory(String className, String type) {
        return echoFactory(className, type, "public", "", TCCL_REASON);
    }

    /** Compiles {@code sources} (class name to code) against {@code classpath}; returns class files by entry name. */
    public static Map<String, byte[]> compile(Path work, Map<String, String> sources, List<Path> classpath) {
        if (sources.isEmpty()) {
            return Map.of();
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        try {
            Path src = Files.createDirectories(work.resolve("src"));
            Path out = Files.createDirectories(work.resolve("classes"));
            List<Path> files = new ArrayList<>();
            for (var e : sources.entrySet()) {
                Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                files.add(Files.writeString(file, e.getValue()));
            }
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager fm =
                    compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
                List<String> options = List.of(
                        "-d",
                        out.toString(),
                        "-proc:none",
                        "--release",
                        "21",
                        "-classpath",
                        classpath.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
                boolean ok = compiler.getTask(
                                null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files))
                        .call();
                if (!ok) {
                    throw new IllegalStateException(
                            "test plugin sources do not compile: " + diagnostics.getDiagnostics());
                }
            }
            Map<String, byte[]> classes = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(out)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    classes.put(
                            out.relativize(f).toString().replace(java.io.File.separatorChar, '/'),
                            Files.readAllBytes(f));
                }
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeJar(Path jarFile, JarSpec spec, Map<String, byte[]> classes) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (spec.version != null) {
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, spec.version);
        }
        Map<String, byte[]> entries = new TreeMap<>(classes);
        entries.keySet()
                .removeIf(name -> spec.omitted.stream()
                        .anyMatch(c -> name.equals(c.replace('.', '/') + ".class")
                                || name.startsWith(c.replace('.', '/') + "$")));
        spec.resources.forEach((path, content) -> entries.put(path, content.getBytes(StandardCharsets.UTF_8)));
        if (!spec.services.isEmpty()) {
            entries.put(SERVICE_FILE, (String.join("\n", spec.services) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        try {
            Files.createDirectories(jarFile.getParent());
            try (OutputStream file = Files.newOutputStream(jarFile);
                    JarOutputStream jar = new JarOutputStream(file, manifest)) {
                for (var e : entries.entrySet()) {
                    jar.putNextEntry(new JarEntry(e.getKey()));
                    jar.write(e.getValue());
                    jar.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar or classes directory a host class comes from. */
    public static Path locationOf(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
