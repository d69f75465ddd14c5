package io.streamloader.core.plugin;

import static io.streamloader.testing.TestingPluginJars.echoFactory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.Event;
import io.streamloader.spi.EventFailure;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.SinkWriter;
import io.streamloader.testing.TestingPluginJars;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

    @TempDir
    Path work;

    private TestingPluginJars jars;
    private PluginRegistry registry;

    @BeforeEach
    void setUp() {
        jars = new TestingPluginJars(work);
    }

    @AfterEach
    void tearDown() {
        if (registry != null) {
            registry.close();
        }
    }

    private PluginRegistry load() {
        registry = PluginRegistry.fromDirectory(jars.pluginsDir());
        return registry;
    }

    private static String writeOne(SinkFactory<?> factory) {
        try (Sink sink = open(factory);
                SinkWriter writer = sink.newWriter()) {
            Event event = Event.builder()
                    .id("id-1")
                    .topic("events")
                    .partition(0)
                    .offset(0)
                    .timestamp(Instant.EPOCH)
                    .value(new byte[] {1})
                    .build();
            return writer.write(List.of(event)).failures().stream()
                    .map(EventFailure::reason)
                    .findFirst()
                    .orElseThrow();
        }
    }

    private static <C> Sink open(SinkFactory<C> factory) {
        SinkContext context = new SinkContext("test", Map.of());
        return factory.open(context, factory.parse(context));
    }

    private TestingPluginJars.PluginBuilder echoPlugin(String dir, String className, String type) {
        return jars.plugin(dir)
                .jar(
                        dir + "-1.0.jar",
                        jar -> jar.source(className, echoFactory(className, type))
                                .service(className)
                                .version("1.0"));
    }

    @Test
    void aGoodPluginLoadsAndItsSinkRunsWithThePluginsContextClassLoader() throws Exception {
        var plugin = echoPlugin("echo", "com.example.echo.EchoFactory", "echo");

        load();

        assertThat(registry.problems()).isEmpty();
        assertThat(registry.types()).containsExactly("echo");
        LoadedPlugin loaded = registry.require("echo");
        assertThat(loaded.version()).isEqualTo("1.0");
        assertThat(loaded.location()).isEqualTo(plugin.dir());
        assertThat(loaded.jars()).isEqualTo(plugin.jars());
        assertThat(loaded.factorySource()).isEqualTo(plugin.jars().getFirst());
        assertThat(loaded.classLoader()).isInstanceOf(PluginClassLoader.class);
        assertThat(loaded.factory().secretKeys()).containsExactly("password");
        loaded.factory().parse(new SinkContext("test", Map.of()));
        assertThat(writeOne(loaded.factory())).isEqualTo("create-tccl=true write-tccl=true");
        try (Sink sink = open(loaded.factory())) {
            sink.checkHealth();
        }
        assertThat(Thread.currentThread().getContextClassLoader()).isNotInstanceOf(PluginClassLoader.class);
    }

    @Test
    void aJarWithoutServiceFileIsAProblemSayingWhatToAdd() {
        jars.plugin("noservice")
                .jar("noservice.jar", jar -> jar.source("com.example.a.F", echoFactory("com.example.a.F", "a")));

        load();

        assertThat(registry.plugins()).isEmpty();
        assertThat(registry.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(jars.pluginsDir().resolve("noservice"));
            assertThat(p.jars()).containsExactly(jars.pluginsDir().resolve("noservice/noservice.jar"));
            assertThat(p.describe())
                    .contains("noservice.jar")
                    .contains("no jar has META-INF/services/io.streamloader.spi.SinkFactory")
                    .contains("Fix: add META-INF/services/io.streamloader.spi.SinkFactory listing your factory class");
        });
    }

    @Test
    void aPrivateConstructorIsAProblemSayingToMakeItPublic() {
        String cls = "com.example.p.PrivateFactory";
        jars.plugin("private")
                .jar(
                        "private.jar",
                        jar -> jar.source(cls, echoFactory(cls, "p", "private", "", "\"x\""))
                                .service(cls));

        load();

        assertThat(registry.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.describe())
                        .contains(cls)
                        .contains("Fix: make the factory class public and give it a public no-argument constructor"));
    }

    @Test
    void aThrowingConstructorIsAProblemNamingWhatItThrew() {
        String cls = "com.example.t.ThrowingFactory";
        jars.plugin("throwing")
                .jar(
                        "throwing.jar",
                        jar -> jar.source(
                                        cls,
                                        echoFactory(
                                                cls, "t", "public", "throw new IllegalStateException(\"boom\");", "1"))
                                .service(cls));

        load();

        assertThat(registry.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).contains(cls).contains("IllegalStateException: boom");
            assertThat(p.fix()).contains("keep factory constructors trivial");
            assertThat(p.cause()).isPresent();
        });
    }

    @Test
    void aMissingDependencyIsAProblemNamingTheClass() {
        String cls = "com.example.m.NeedyFactory";
        jars.plugin("needy")
                .jar(
                        "needy.jar",
                        jar -> jar.source("com.example.m.Helper", "package com.example.m; public class Helper {}")
                                .source(cls, echoFactory(cls, "m", "public", "new Helper();", "1"))
                                .service(cls)
                                .omit("com.example.m.Helper"));

        load();

        assertThat(registry.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("class com.example.m.Helper is missing");
            assertThat(p.fix()).startsWith("add the jar that contains com.example.m.Helper to " + p.location());
        });
    }

    @Test
    void aServiceFileNamingAMissingClassIsAProblem() {
        jars.plugin("typo").jar("typo.jar", jar -> jar.service("com.example.Nope"));

        load();

        assertThat(registry.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.describe())
                        .contains("Provider com.example.Nope not found")
                        .contains("correct the class name"));
    }

    @Test
    void aBrokenPluginDoesNotStopAGoodOneAndAConfigNamingItsTypeFailsNamingTheJar() throws Exception {
        String broken = "com.example.b.BrokenFactory";
        jars.plugin("a-broken")
                .jar(
                        "broken-sink.jar",
                        jar -> jar.source(
                                        broken,
                                        echoFactory(
                                                broken, "broken", "public", "throw new RuntimeException(\"x\");", "1"))
                                .service(broken));
        echoPlugin("b-good", "com.example.g.GoodFactory", "good");
        Files.createDirectories(jars.pluginsDir().resolve("c-empty"));

        load();

        assertThat(registry.types()).containsExactly("good");
        assertThat(writeOne(registry.factory("good"))).isEqualTo("create-tccl=true write-tccl=true");
        assertThat(registry.problems()).hasSize(2);
        assertThat(registry.problems().get(1).describe()).contains("c-empty").contains("the directory holds no jar");
        assertThatThrownBy(() -> registry.require("broken"))
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("no plugin provides sink type 'broken'; available types: good")
                .hasMessageContaining("broken-sink.jar");
    }

    @Test
    void twoPluginsWithConflictingLibraryVersionsEachSeeTheirOwn() {
        for (String v : List.of("1", "2")) {
            String cls = "com.example.v" + v + ".Factory";
            jars.plugin("lib-user-" + v)
                    .jar(
                            "greeting-" + v + ".jar",
                            jar -> jar.source(
                                    "com.example.lib.Greeting",
                                    "package com.example.lib; public class Greeting { public static String version() { return \"lib "
                                            + v + "\"; } }"))
                    .jar(
                            "user.jar",
                            jar -> jar.source(
                                            cls,
                                            echoFactory(
                                                    cls,
                                                    "user" + v,
                                                    "public",
                                                    "",
                                                    "com.example.lib.Greeting.version()"))
                                    .service(cls));
        }

        load();

        assertThat(registry.problems()).isEmpty();
        assertThat(writeOne(registry.factory("user1"))).isEqualTo("lib 1");
        assertThat(writeOne(registry.factory("user2"))).isEqualTo("lib 2");
    }

    @Test
    void aTypeProvidedTwiceIsAProblemNamingBothJars() {
        var first = echoPlugin("first", "com.example.d1.Factory", "dup");
        var second = echoPlugin("second", "com.example.d2.Factory", "dup");

        load();

        assertThat(registry.types()).isEmpty();
        assertThat(registry.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message())
                        .contains(first.jars().getFirst().toString())
                        .contains(second.jars().getFirst().toString()));
        assertThatThrownBy(() -> registry.require("dup"))
                .isInstanceOf(PluginException.class)
                .hasMessage("sink type 'dup' is provided by more than one plugin: "
                        + first.jars().getFirst() + " and " + second.jars().getFirst() + "; remove all but one");
    }

    @Test
    void anUnknownTypeListsTheAvailableOnes() {
        echoPlugin("a", "com.example.a.Factory", "alpha");
        echoPlugin("b", "com.example.b.Factory", "beta");

        load();

        assertThatThrownBy(() -> registry.require("gamma"))
                .isInstanceOf(PluginException.class)
                .hasMessage("no plugin provides sink type 'gamma'; available types: alpha, beta (searched "
                        + jars.pluginsDir().toAbsolutePath() + ")");
    }

    @Test
    void aMissingPluginsDirectoryGivesAnEmptyRegistryAndAJarOutsideAPluginDirectoryIsAProblem() throws Exception {
        registry = PluginRegistry.fromDirectory(work.resolve("nowhere"));
        assertThat(registry.plugins()).isEmpty();
        assertThat(registry.problems()).isEmpty();
        assertThatThrownBy(() -> registry.require("x")).hasMessageContaining("nowhere (does not exist)");

        Files.createDirectories(jars.pluginsDir());
        Files.write(jars.pluginsDir().resolve("loose.jar"), new byte[0]);
        assertThat(load().problems())
                .singleElement()
                .satisfies(p -> assertThat(p.fix()).startsWith("move it into a directory of its own"));
    }

    @Test
    void factoriesAreFoundOnAGivenClassLoader() throws Exception {
        var plugin = echoPlugin("cp", "com.example.cp.Factory", "classpath-echo");
        try (URLClassLoader loader = new URLClassLoader(
                "ide",
                new URL[] {plugin.jars().getFirst().toUri().toURL()},
                getClass().getClassLoader())) {
            registry = PluginRegistry.builder().addClassLoader(loader).build();

            LoadedPlugin loaded = registry.require("classpath-echo");
            assertThat(loaded.classLoader()).isSameAs(loader);
            assertThat(loaded.location()).isEqualTo(plugin.jars().getFirst());
            assertThat(writeOne(loaded.factory())).isEqualTo("create-tccl=true write-tccl=true");
        }
    }
}
