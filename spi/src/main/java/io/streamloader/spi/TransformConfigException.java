package io.streamloader.spi;

import java.util.List;

/**
 * A transform step's settings are invalid; thrown by {@link TransformFactory#create}. Each problem starts with the
 * key it is about, relative to the step ({@code "field: is required"}); the host prefixes the step's key path.
 */
public final class TransformConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public TransformConfigException(List<String> problems) {
        super(String.join("; ", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a TransformConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** One message per problem, each starting with its key relative to the step. */
    public List<String> problems() {
        return problems;
    }
}
