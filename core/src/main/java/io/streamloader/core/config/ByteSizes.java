package io.streamloader.core.config;

import io.streamloader.sink.support.ConfigGrammar;

/**
 * Parses byte sizes: a whole number of bytes ({@code 512}), or a whole number with a unit. Binary units are powers of
 * 1024 ({@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}); decimal units are powers of 1000 ({@code KB}, {@code
 * MB}, {@code GB}, {@code TB}), as IEC 80000-13 defines them. Units are matched ignoring case; {@code B} means bytes.
 */
public final class ByteSizes {

    /** The accepted forms, for messages. */
    public static final String FORMS = ConfigGrammar.SIZE_FORMS;

    private ByteSizes() {}

    /**
     * Parses a non-negative size in bytes; see {@link ConfigGrammar#bytes}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static long parse(String text) {
        return ConfigGrammar.bytes(text);
    }

    /** Writes a size in the largest binary unit that is exact, for example {@code 8MiB} or {@code 1500}. */
    public static String format(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long factor = 1L << (10 * (4 - i));
            if (bytes != 0 && bytes % factor == 0) {
                return bytes / factor + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
