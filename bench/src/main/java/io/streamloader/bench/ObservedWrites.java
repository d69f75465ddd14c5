package io.streamloader.bench;

import io.streamloader.spi.Event;
import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;
import io.streamloader.spi.SinkWriter;
import io.streamloader.spi.SourcePartition;
import io.streamloader.spi.WriteResult;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A sink factory whose writers tell the bench what they stored: every call is passed through (partition hooks
 * included), each successful write's batch is handed to {@code onStored} afterwards, and a write with failures throws
 * (a benchmark counts only events that were stored).
 */
public final class ObservedWrites {
    private ObservedWrites() {}

    /**
     * @param name for the failure message
     * @param beforeWrite runs before each write (for example to note when the first one began)
     * @param onStored runs after each fully successful write with its batch
     */
    public static <C> SinkFactory<C> wrap(
            SinkFactory<C> factory, String name, Runnable beforeWrite, Consumer<List<Event>> onStored) {
        return new SinkFactory<>() {
            @Override
            public String type() {
                return factory.type();
            }

            @Override
            public C parse(SinkContext context) {
                return factory.parse(context);
            }

            @Override
            public int defaultBatchRecords() {
                return factory.defaultBatchRecords(); // a policy of SINK_DEFAULT_RECORDS means the sink's
            }

            @Override
            public Set<String> secretKeys() {
                return factory.secretKeys();
            }

            @Override
            public Sink open(SinkContext context, C config) {
                Sink sink = factory.open(context, config);
                return new Sink() {
                    @Override
                    public SinkWriter newWriter() {
                        return observed(sink.newWriter(), name, beforeWrite, onStored);
                    }

                    @Override
                    public void checkHealth() throws Exception {
                        sink.checkHealth();
                    }

                    @Override
                    public void close() {
                        sink.close();
                    }
                };
            }
        };
    }

    private static SinkWriter observed(
            SinkWriter writer, String name, Runnable beforeWrite, Consumer<List<Event>> onStored) {
        return new SinkWriter() {
            @Override
            public WriteResult write(List<Event> events) {
                beforeWrite.run();
                WriteResult result = writer.write(events);
                if (!result.isSuccess()) {
                    throw new IllegalStateException(name + ": benchmark writes failed: " + result.failures());
                }
                onStored.accept(events);
                return result;
            }

            @Override
            public void partitionsAssigned(Collection<SourcePartition> partitions) {
                writer.partitionsAssigned(partitions);
            }

            @Override
            public void partitionsRevoked(Collection<SourcePartition> partitions) throws Exception {
                writer.partitionsRevoked(partitions);
            }

            @Override
            public void close() {
                writer.close();
            }
        };
    }
}
