package io.streamloader.core.plugin;

import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import io.streamloader.spi.TransformFactory;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link TransformFactory} found in a plugin; its calls, and those of the transforms it creates, run with the
 * plugin's classloader as the thread's context classloader.
 *
 * @param type the factory's {@link TransformFactory#type()}
 * @param factory the wrapped factory
 * @param source the jar (or directory) the factory class came from
 */
public record LoadedTransform(String type, TransformFactory factory, Path source) {

    static LoadedTransform of(TransformFactory plugin, Path source) {
        ClassLoader loader = plugin.getClass().getClassLoader();
        String type;
        try (var ignored = new ThreadContextClassLoader(loader)) {
            type = plugin.type();
        }
        if (type == null || type.isBlank()) {
            throw new IllegalStateException(plugin.getClass().getName() + ".type() returned no type");
        }
        return new LoadedTransform(type, new Safe(plugin, loader), source);
    }

    private record Safe(TransformFactory delegate, ClassLoader loader) implements TransformFactory {
        @Override
        public String type() {
            try (var ignored = new ThreadContextClassLoader(loader)) {
                return delegate.type();
            }
        }

        @Override
        public Transform create(Map<String, String> config) {
            Transform transform;
            try (var ignored = new ThreadContextClassLoader(loader)) {
                transform = delegate.create(config);
            }
            return transform == null ? null : new SafeTransform(transform, loader);
        }
    }

    private record SafeTransform(Transform delegate, ClassLoader loader) implements Transform {
        @Override
        public Event apply(Event event) throws Exception {
            try (var ignored = new ThreadContextClassLoader(loader)) {
                return delegate.apply(event);
            }
        }
    }
}
