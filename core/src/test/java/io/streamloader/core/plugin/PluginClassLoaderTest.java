package io.streamloader.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamloader.spi.SinkFactory;
import io.streamloader.testing.TestingPluginJars;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginClassLoaderTest {

    @TempDir
    Path work;

    private PluginClassLoader loader(TestingPluginJars.PluginBuilder plugin) {
        return new PluginClassLoader(plugin.dir(), plugin.jars(), SinkFactory.class.getClassLoader());
    }

    private TestingPluginJars.PluginBuilder plugin() {
        return new TestingPluginJars(work)
                .plugin("p")
                .jar(
                        "p.jar",
                        jar -> jar.source("com.example.Own", "package com.example; public class Own {}")
                                .resource("app.properties", "plugin=true"));
    }

    @Test
    void theSpiAndSlf4jComeFromTheHost() throws Exception {
        try (PluginClassLoader loader = loader(plugin())) {
            assertThat(loader.loadClass("io.streamloader.spi.SinkFactory")).isSameAs(SinkFactory.class);
            assertThat(loader.loadClass("org.slf4j.Logger")).isSameAs(org.slf4j.Logger.class);
        }
    }

    @Test
    void hostInternalsAndHostLibrariesAreInvisible() throws Exception {
        try (PluginClassLoader loader = loader(plugin())) {
            for (String hidden : List.of(
                    "io.streamloader.core.config.ConfigNode",
                    "io.streamloader.core.plugin.PluginRegistry",
                    "com.fasterxml.jackson.databind.ObjectMapper",
                    "org.apache.kafka.clients.consumer.KafkaConsumer")) {
                assertThatThrownBy(() -> loader.loadClass(hidden))
                        .as(hidden)
                        .isInstanceOf(ClassNotFoundException.class);
            }
            assertThat(loader.getResource("io/streamloader/core/config/ConfigNode.class"))
                    .isNull();
        }
    }

    @Test
    void jdkClassesComeFromThePlatformAndOwnClassesFromThePluginJars() throws Exception {
        try (PluginClassLoader loader = loader(plugin())) {
            assertThat(loader.loadClass("java.sql.Connection")).isSameAs(java.sql.Connection.class);
            assertThat(loader.loadClass("java.lang.String")).isSameAs(String.class);
            assertThat(loader.loadClass("com.example.Own").getClassLoader()).isSameAs(loader);
            assertThat(loader.getResource("app.properties")).isNotNull();
            assertThat(loader.ownResources(PluginFailures.SERVICE_FILE)).isEmpty();
            assertThat(loader.toString()).contains(work.resolve("plugins/p").toString());
        }
    }
}
