package io.streamloader.core.transform;

import io.streamloader.spi.TransformFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The transforms every sink can use without a plugin: {@code filter}, {@code insert-field}, {@code rename-field},
 * {@code drop-field}, {@code route} and {@code decode}. They win over a plugin of the same type.
 */
public final class BuiltinTransforms {

    private static final Map<String, TransformFactory> FACTORIES = List.of(
                    new FilterTransform.Factory(),
                    new InsertField.Factory(),
                    new RenameField.Factory(),
                    new DropField.Factory(),
                    new Route.Factory(),
                    new Decode.Factory())
            .stream()
            .collect(Collectors.toUnmodifiableMap(TransformFactory::type, f -> f));

    private BuiltinTransforms() {}

    /** The built-in factory of {@code type}, if there is one. */
    public static Optional<TransformFactory> find(String type) {
        return Optional.ofNullable(FACTORIES.get(type));
    }

    /** Built-ins first, then {@code plugins}. */
    public static Function<String, Optional<TransformFactory>> orElse(
            Function<String, Optional<TransformFactory>> plugins) {
        return type -> find(type).or(() -> plugins.apply(type));
    }
}
