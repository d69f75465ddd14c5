package io.streamloader.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.SinkWriter;
import io.streamloader.testing.TestingFactories;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassLoaderSafeSinkFactoryTest {

    /** The SPI methods a wrapper does not declare itself: those would answer the interface's default, not the plugin. */
    private static List<String> notForwarded(Class<?> spi, Class<?> wrapper) {
        return Arrays.stream(spi.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> {
                    try {
                        return wrapper.getDeclaredMethod(m.getName(), m.getParameterTypes()) == null;
                    } catch (NoSuchMethodException e) {
                        return true;
                    }
                })
                .map(Method::getName)
                .toList();
    }

    @Test
    void theWrappersForwardEveryMethodOfTheSpiToThePlugin() {
        assertThat(notForwarded(SinkFactory.class, ClassLoaderSafeSinkFactory.class))
                .isEmpty();
        assertThat(notForwarded(Sink.class, ClassLoaderSafeSink.class)).isEmpty();
        Class<?> writer = ClassLoaderSafeSink.class.getDeclaredClasses()[0];
        assertThat(notForwarded(SinkWriter.class, writer)).isEmpty();
    }

    @Test
    void aPluginsDefaultBatchSizeReachesTheHost() {
        SinkFactory<?> plugin = TestingFactories.withDefaultBatch("p", 4000);

        SinkFactory<?> wrapped =
                new ClassLoaderSafeSinkFactory<>(plugin, getClass().getClassLoader());

        assertThat(wrapped.defaultBatchRecords()).isEqualTo(4000);
    }
}
