package io.streamloader.testing;

import io.streamloader.spi.Sink;
import io.streamloader.spi.SinkContext;
import io.streamloader.spi.SinkFactory;

/** Sink factories that only describe themselves; they open no sink. */
public final class TestingFactories {
    private TestingFactories() {}

    /** A factory of {@code type} that keeps the SPI's defaults. */
    public static SinkFactory<?> plain(String type) {
        return new Described(type, null);
    }

    /** A factory of {@code type} whose {@link SinkFactory#defaultBatchRecords()} is {@code records}. */
    public static SinkFactory<?> withDefaultBatch(String type, int records) {
        return new Described(type, records);
    }

    private static final class Described implements SinkFactory<String> {
        private final String type;
        private final Integer batchRecords;

        Described(String type, Integer batchRecords) {
            this.type = type;
            this.batchRecords = batchRecords;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String parse(SinkContext context) {
            return context.name();
        }

        @Override
        public Sink open(SinkContext context, String config) {
            throw new UnsupportedOperationException("a " + type + " factory that only describes itself");
        }

        @Override
        public int defaultBatchRecords() {
            return batchRecords == null ? SinkFactory.super.defaultBatchRecords() : batchRecords;
        }
    }
}
