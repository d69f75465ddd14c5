package io.streamloader.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class ThreadContextClassLoaderTest {

    @Test
    @SuppressWarnings("try")
    void setsTheLoaderAndRestoresThePreviousOneEvenOnException() throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader other = new URLClassLoader(new URL[0], null)) {
            try (var ignored = new ThreadContextClassLoader(other)) {
                assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(other);
                throw new IllegalStateException("plugin failed");
            } catch (IllegalStateException expected) {
                assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
            }
        }
    }
}
