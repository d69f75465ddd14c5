package io.streamloader.spi;

import java.util.Map;

/**
 * Creates {@link Transform}s of one {@link #type()}; found with {@link java.util.ServiceLoader} in a plugin's jars
 * ({@code META-INF/services/io.streamloader.spi.TransformFactory}), like {@link SinkFactory}. The built-in types
 * ({@code filter}, {@code insert-field}, {@code rename-field}, {@code drop-field}, {@code route}, {@code decode}) win
 * over a plugin of the same type.
 *
 * <ol>
 *   <li>{@link #create} parses its settings purely (no I/O): {@code config check} calls it too.
 *   <li>Called once per configured step, from one thread.
 * </ol>
 */
public interface TransformFactory {

    /** The name used in {@code sinks.<name>.transforms[i].type}, for example {@code mask-field}. */
    String type();

    /**
     * A transform for one configured step.
     *
     * @param config the step's keys but {@code type}, flattened to dotted keys (lists of scalars joined with commas)
     * @throws TransformConfigException naming every key that is missing, unknown or invalid (relative key names such as
     *     {@code field}; the host prefixes {@code sinks.<name>.transforms[i].})
     */
    Transform create(Map<String, String> config);
}
