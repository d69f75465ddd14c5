package io.streamloader.core.config;

import java.util.List;

/**
 * A config file is invalid. Carries every problem found, each naming its key path, and lists them all in the
 * message, one per line, so that printing the message is enough to tell the operator what to fix.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final List<String> problems;

    /**
     * @param source what was read, for example {@code streamloader.yaml}
     * @param problems at least one problem, each {@code key.path: message}
     */
    public ConfigException(String source, List<String> problems) {
        super(message(source, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** What was read, for example the config file's path. */
    public String source() {
        return source;
    }

    /** One entry per problem, each {@code key.path: message}, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(String source, List<String> problems) {
        StringBuilder sb = new StringBuilder()
                .append(source)
                .append(" has ")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        problems.forEach(p -> sb.append("\n  - ").append(p));
        return sb.toString();
    }
}
