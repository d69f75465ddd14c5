/**
 * The Sink SPI: the only package a plugin sees from the host.
 *
 * <p>A plugin is a directory under {@code plugins/} holding one or more jars. The host discovers its {@link
 * io.streamloader.spi.SinkFactory} implementations with {@link java.util.ServiceLoader} in a classloader of its
 * own whose parent is the platform loader; only {@code io.streamloader.spi} and {@code org.slf4j} are shared with
 * the host. This package therefore depends on {@code java.*} and {@code org.slf4j} alone.
 *
 * <p>Lifecycle, in order:
 *
 * <ol>
 *   <li>The host finds the factory by {@link io.streamloader.spi.SinkFactory#type()} named in the config.
 *   <li>{@link io.streamloader.spi.SinkFactory#validate(SinkContext)} runs for {@code config check} and before start.
 *   <li>{@link io.streamloader.spi.SinkFactory#create(SinkContext)} once per worker of the runner, on that worker's
 *       sink thread.
 *   <li>{@link io.streamloader.spi.Sink#write(java.util.List)} for every batch, from that sink thread only.
 *   <li>{@link io.streamloader.spi.Sink#close()} once, at shutdown or after a fatal failure.
 * </ol>
 */
package io.streamloader.spi;
