package io.streamloader.api;

import java.util.List;

/** Answers {@code /health/ready}: can the API store events right now. Called per probe; must not hang. */
@FunctionalInterface
public interface ReadinessProbe {

    Result check();

    /**
     * @param ready whether requests can be stored
     * @param problems what is wrong when not ready (unreachable broker, missing topics)
     */
    record Result(boolean ready, List<String> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public static Result up() {
            return new Result(true, List.of());
        }

        public static Result down(String problem) {
            return new Result(false, List.of(problem));
        }
    }
}
