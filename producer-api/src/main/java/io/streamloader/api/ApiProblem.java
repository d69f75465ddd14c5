package io.streamloader.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A request the API refuses, rendered as RFC 9457 {@code application/problem+json} by the one exception mapper in
 * {@link ProducerApi}. {@code extensions} become extra members (e.g. {@code field}, {@code line}, {@code limit}).
 */
public final class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, Object> extensions;
    private final Optional<Long> retryAfterSeconds;

    private ApiProblem(int status, String title, String detail, Map<String, Object> extensions, Long retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.extensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
        this.retryAfterSeconds = Optional.ofNullable(retryAfter);
    }

    public static ApiProblem of(int status, String title, String detail) {
        return new ApiProblem(status, title, detail, Map.of(), null);
    }

    public static ApiProblem badRequest(String detail) {
        return of(400, "Bad Request", detail);
    }

    public static ApiProblem retryLater(int status, String title, String detail, long retryAfterSeconds) {
        return new ApiProblem(status, title, detail, Map.of(), retryAfterSeconds);
    }

    /** A copy with one more extension member. */
    public ApiProblem with(String name, Object value) {
        var ext = new LinkedHashMap<>(extensions);
        ext.put(name, value);
        return new ApiProblem(status, title, getMessage(), ext, retryAfterSeconds.orElse(null));
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Optional<Long> retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
