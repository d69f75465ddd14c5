package io.streamloader.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.core.pipeline.TransformChain;
import io.streamloader.core.pipeline.TransformSpec;
import io.streamloader.core.transform.BuiltinTransforms;
import io.streamloader.spi.Event;
import io.streamloader.spi.TransformConfigException;
import io.streamloader.testing.TestingPluginJars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom transforms from plugin jars compiled in the test, loaded by the same loader as sinks. */
class PluginTransformTest {
    private static final String SERVICE = "META-INF/services/io.streamloader.spi.TransformFactory";

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

    /** A factory of type {@code type} whose transform appends "!" and the context classloader's check to the value. */
    private static String suffixFactory(String cls, String type) {
        String pkg = cls.substring(0, cls.lastIndexOf('.'));
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        return """
                package %1$s;

                import io.streamloader.spi.*;
                import java.util.*;

                public class %2$s implements TransformFactory {
                    @Override public String type() { return "%3$s"; }
                    @Override public Transform create(Map<String, String> config) {
                        String suffix = config.getOrDefault("suffix", "!");
                        if (suffix.isEmpty()) {
                            throw new TransformConfigException(List.of("suffix: must not be empty"));
                        }
                        return event -> {
                            if (event.valueAsString().equals("boom")) {
                                throw new IllegalStateException("plugin refused boom");
                            }
                            boolean tccl = Thread.currentThread().getContextClassLoader() == %2$s.class.getClassLoader();
                            byte[] value = (event.valueAsString() + suffix + " tccl=" + tccl).getBytes();
                            return event.toBuilder().value(value).build();
                        };
                    }
                }
                """.formatted(pkg, simple, type);
    }

    private void plugin(String dir, String cls, String type) {
        jars.plugin(dir)
                .jar(
                        dir + ".jar",
                        jar -> jar.source(cls, suffixFactory(cls, type)).resource(SERVICE, cls + "\n"));
    }

    private static Event event(String value) {
        return Event.builder()
                .id("id")
                .topic("t")
                .partition(0)
                .offset(5)
                .timestamp(Instant.EPOCH)
                .value(value.getBytes(StandardCharsets.UTF_8))
                .contentType("text/plain")
                .build();
    }

    @Test
    void aTransformPluginLoadsAndRunsInAChainWithThePluginsContextClassLoader() throws Exception {
        plugin("suffix", "com.example.sfx.SuffixFactory", "suffix");
        registry = PluginRegistry.fromDirectory(jars.pluginsDir());

        assertThat(registry.problems()).isEmpty();
        assertThat(registry.transforms()).extracting(LoadedTransform::type).containsExactly("suffix");
        assertThat(registry.types()).isEmpty(); // no sink type
        TransformChain chain = TransformChain.of(List.of(
                        new TransformSpec("sinks.s.transforms[0]", "suffix", Map.of("suffix", "?")),
                        new TransformSpec("sinks.s.transforms[1]", "drop-field", Map.of("fields", "a"))))
                .resolve(BuiltinTransforms.orElse(registry::transform));

        assertThat(chain.apply(event("hi")).valueAsString()).isEqualTo("hi? tccl=true");
        assertThatThrownBy(() -> chain.apply(event("boom")))
                .isInstanceOf(TransformChain.StepFailed.class)
                .hasMessageContaining("sinks.s.transforms[0] (suffix)")
                .hasMessageContaining("java.lang.IllegalStateException: plugin refused boom");
    }

    @Test
    void aPluginsConfigProblemsAndAnUnknownTypeAreReportedWithTheirKeyPaths() {
        plugin("suffix", "com.example.sfx.SuffixFactory", "suffix");
        registry = PluginRegistry.fromDirectory(jars.pluginsDir());
        TransformChain chain = TransformChain.of(List.of(
                new TransformSpec("sinks.s.transforms[0]", "suffix", Map.of("suffix", "")),
                new TransformSpec("sinks.s.transforms[1]", "nope", Map.of())));

        assertThatThrownBy(() -> chain.resolve(BuiltinTransforms.orElse(registry::transform)))
                .isInstanceOfSatisfying(
                        TransformConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "sinks.s.transforms[0].suffix: must not be empty",
                                        "sinks.s.transforms[1].type: no transform of type 'nope' (built-in: filter,"
                                                + " insert-field, rename-field, drop-field, route, decode; others load as"
                                                + " plugins)"));
    }

    @Test
    void aTypeProvidedByTwoPluginsIsAProblemAndUnusable() {
        plugin("one", "com.example.one.F", "dup");
        plugin("two", "com.example.two.F", "dup");
        registry = PluginRegistry.fromDirectory(jars.pluginsDir());

        assertThat(registry.transform("dup")).isEmpty();
        assertThat(registry.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.describe()).contains("transform type 'dup' is provided by"));
    }

    @Test
    void aBuiltInTypeWinsOverAPluginOfTheSameName() throws Exception {
        plugin("shadow", "com.example.sh.F", "drop-field");
        registry = PluginRegistry.fromDirectory(jars.pluginsDir());
        TransformChain chain = TransformChain.of(
                        List.of(new TransformSpec("sinks.s.transforms[0]", "drop-field", Map.of("fields", "a"))))
                .resolve(BuiltinTransforms.orElse(registry::transform));
        Event json = Event.builder()
                .id("id")
                .topic("t")
                .partition(0)
                .offset(5)
                .timestamp(Instant.EPOCH)
                .value("{\"a\":1,\"b\":2}".getBytes())
                .build();
        assertThat(chain.apply(json).valueAsString()).isEqualTo("{\"b\":2}");
    }
}
