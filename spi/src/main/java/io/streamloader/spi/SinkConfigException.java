package io.streamloader.spi;

import java.util.List;

/**
 * A sink's settings are invalid. Thrown by {@link SinkFactory#parse}; carries
 * every problem found, each naming the offending key as {@link SinkContext#keyPath(String)} gives it, so the
 * operator sees them all at once.
 */
public final class SinkConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public SinkConfigException(List<String> problems) {
        super(String.join("; ", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a SinkConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** One message per problem, each naming its config key. */
    public List<String> problems() {
        return problems;
    }
}
