/**
 * The Sink SPI: the only package a plugin sees from the host.
 *
 * <p>A plugin is a directory under {@code plugins/} holding one or more jars. The host discovers its {@link
 * io.streamloader.spi.SinkFactory} implementations with {@link java.util.ServiceLoader} in a classloader of its
 * own whose parent is the platform loader; only {@code io.streamloader.spi} and {@code org.slf4j} are shared with
 * the host. This package therefore depends on {@code java.*} and {@code org.slf4j} alone.
 *
 * <p>Lifecycle of a runner (one configured sink with {@code workers: N}), in order:
 *
 * <ol>
 *   <li>The host finds the factory by {@link io.streamloader.spi.SinkFactory#type()} named in the config.
 *   <li>{@link io.streamloader.spi.SinkFactory#parse(SinkContext)} once per runner, no I/O; {@code config check} calls
 *       only this.
 *   <li>{@link io.streamloader.spi.SinkFactory#open(SinkContext, Object)} once per runner start, on the sink thread of
 *       the first worker to start (the others wait): clients, migrations, templates, indexes.
 *   <li>{@link io.streamloader.spi.Sink#newWriter()} N times, once on each worker's sink thread.
 *   <li>On that thread only, one call at a time: {@link io.streamloader.spi.SinkWriter#partitionsAssigned} when the
 *       worker's consumer gets partitions, {@link io.streamloader.spi.SinkWriter#write(java.util.List)} for every
 *       batch, {@link io.streamloader.spi.SinkWriter#partitionsRevoked} when it loses some or stops.
 *   <li>{@link io.streamloader.spi.SinkWriter#close()} once per writer, on its thread, at shutdown or after a fatal
 *       failure.
 *   <li>{@link io.streamloader.spi.Sink#close()} once, after the last writer was closed.
 * </ol>
 *
 * <p>{@link io.streamloader.spi.Sink#checkHealth()} may be called at any time between open and close, from any thread.
 */
package io.streamloader.spi;
