package io.streamloader.core.pipeline;

import io.streamloader.spi.Event;
import io.streamloader.spi.Transform;
import io.streamloader.spi.TransformConfigException;
import io.streamloader.spi.TransformFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A sink's ordered transforms ({@code sinks.<name>.transforms}). Built from {@link TransformSpec}s in two steps, since
 * the config is read before plugins are loaded: {@link #of} keeps the specs, {@link #resolve} creates every step's
 * {@link Transform} with the factories a lookup finds (built-ins, then plugins).
 *
 * <p>{@link #apply} runs the steps in order; a step returning its input unchanged costs nothing but the call. Immutable
 * and thread-safe once resolved; compared by specs.
 */
public final class TransformChain {

    /** No transforms: every event passes as it is. */
    public static final TransformChain NONE = new TransformChain(List.of(), List.of());

    private final List<TransformSpec> specs;
    private final List<Transform> steps; // one per spec once resolved, else empty

    private TransformChain(List<TransformSpec> specs, List<Transform> steps) {
        this.specs = List.copyOf(specs);
        this.steps = List.copyOf(steps);
    }

    /** An unresolved chain of {@code specs}; {@link #NONE} when there are none. */
    public static TransformChain of(List<TransformSpec> specs) {
        return specs.isEmpty() ? NONE : new TransformChain(specs, List.of());
    }

    public List<TransformSpec> specs() {
        return specs;
    }

    public boolean isEmpty() {
        return specs.isEmpty();
    }

    /** Whether every step has its transform, so that {@link #apply} can run. */
    public boolean isResolved() {
        return steps.size() == specs.size();
    }

    /**
     * This chain with every step created by the factory {@code lookup} finds for its type.
     *
     * @throws TransformConfigException listing every problem of every step, each with its full key path ({@code
     *     sinks.fleet.transforms[1].field: ...}), and every type no factory provides
     */
    public TransformChain resolve(Function<String, Optional<TransformFactory>> lookup) {
        List<String> problems = new ArrayList<>();
        List<Transform> created = new ArrayList<>();
        for (TransformSpec spec : specs) {
            Optional<TransformFactory> factory = lookup.apply(spec.type());
            if (factory.isEmpty()) {
                problems.add(spec.keyPath() + ".type: no transform of type '" + spec.type()
                        + "' (built-in: filter, insert-field, rename-field, drop-field, route, decode; others load"
                        + " as plugins)");
                continue;
            }
            try {
                created.add(Objects.requireNonNull(
                        factory.get().create(spec.config()), () -> spec.type() + " factory returned no transform"));
            } catch (TransformConfigException e) {
                e.problems().forEach(p -> problems.add(spec.keyPath() + "." + p));
            } catch (RuntimeException | LinkageError e) {
                problems.add(spec.keyPath() + ": transform '" + spec.type() + "' could not be created: " + e);
            }
        }
        if (!problems.isEmpty()) {
            throw new TransformConfigException(problems);
        }
        return new TransformChain(specs, created);
    }

    /**
     * The event after every step, or {@code null} when a step dropped it.
     *
     * @throws StepFailed when a step threw: the event is to be dead-lettered with {@link StepFailed#getMessage()}
     */
    public Event apply(Event event) {
        Event current = event;
        for (int i = 0; i < steps.size(); i++) {
            try {
                current = steps.get(i).apply(current);
            } catch (Exception | StackOverflowError | LinkageError e) {
                throw new StepFailed(specs.get(i), e);
            }
            if (current == null) {
                return null;
            }
            if (current != event && !sameCoordinates(current, event)) {
                // the pipeline finds each event's record (commits, dead letters) by its coordinates
                throw new StepFailed(
                        specs.get(i),
                        new IllegalStateException("a transform must not change an event's topic, partition or offset"));
            }
        }
        return current;
    }

    private static boolean sameCoordinates(Event a, Event b) {
        return a.offset() == b.offset()
                && a.partition() == b.partition()
                && a.topic().equals(b.topic());
    }

    /** A step threw for one event; the message names the step and the exception. */
    public static final class StepFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StepFailed(TransformSpec spec, Throwable cause) {
            super(
                    "transform " + spec.keyPath() + " (" + spec.type() + ") failed: "
                            + cause.getClass().getName() + ": " + cause.getMessage(),
                    cause,
                    false,
                    false);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformChain c && specs.equals(c.specs);
    }

    @Override
    public int hashCode() {
        return specs.hashCode();
    }

    @Override
    public String toString() {
        return specs.stream().map(TransformSpec::type).toList().toString();
    }
}
