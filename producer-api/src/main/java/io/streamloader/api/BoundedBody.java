package io.streamloader.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Reads a request body, chunked or not, counting bytes as they arrive: each chunk is reserved on the in-flight
 * permit before the next is read, and the read stops with 413 one byte past the cap, whatever {@code Content-Length}
 * said. The buffer grows with what arrived, never with what was declared beyond {@link #FIRST_BUFFER}.
 */
final class BoundedBody {

    private static final int CHUNK = 64 * 1024;
    private static final int FIRST_BUFFER = 64 * 1024;
    /** How long a body may take before its average rate is judged. */
    static final java.time.Duration GRACE = java.time.Duration.ofSeconds(1);

    private BoundedBody() {}

    /**
     * @param declared the request's {@code Content-Length}, -1 when unknown: only a sizing hint
     * @throws ApiProblem 413 past {@code maxBytes}, 429 when the permit cannot grow, 400 when the read fails
     */
    static byte[] read(InputStream in, long declared, long maxBytes, InFlightLimiter.Permit permit) {
        return read(in, declared, maxBytes, 0, permit);
    }

    /**
     * Like {@link #read(InputStream, long, long, InFlightLimiter.Permit)}, and refuses with 408 a body arriving slower
     * than {@code minBytesPerSecond} on average once {@link #GRACE} has passed since the read began (0: no check).
     * Measured from the first read, not from the request's start, so a server slow to reach the body never blames a
     * small, prompt request.
     */
    static byte[] read(
            InputStream in, long declared, long maxBytes, long minBytesPerSecond, InFlightLimiter.Permit permit) {
        long started = System.nanoTime();
        int hint = (int) Math.min(Math.max(declared, 0), Math.min(maxBytes, FIRST_BUFFER));
        byte[] buffer = new byte[Math.max(hint, 1024)];
        int length = 0;
        try {
            while (true) {
                if (length == buffer.length) {
                    long grown = Math.min((long) buffer.length * 2, maxBytes + 1);
                    if (grown <= length) {
                        throw tooLarge(maxBytes);
                    }
                    buffer = Arrays.copyOf(buffer, (int) grown);
                }
                int n = in.read(buffer, length, Math.min(CHUNK, buffer.length - length));
                if (n < 0) {
                    break;
                }
                permit.grow(n);
                length += n;
                if (length > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                long elapsed = System.nanoTime() - started;
                if (minBytesPerSecond > 0
                        && elapsed > GRACE.toNanos()
                        && length < minBytesPerSecond * (elapsed / 1_000_000L) / 1000) {
                    throw slow();
                }
            }
        } catch (org.eclipse.jetty.http.BadMessageException e) {
            // Jetty's verdict on the client: too slow (408, api.limits.min-request-data-rate) or a malformed stream
            if (e.getCode() == 408) {
                throw slow();
            }
            throw ApiProblem.badRequest("the request body is malformed (chunked encoding or length)")
                    .with("field", "body");
        } catch (IOException | UncheckedIOException e) {
            // a timeout, a reset or a cut chunked stream: the client's side, never ours
            throw ApiProblem.badRequest("the request body could not be read completely (connection closed, too slow"
                            + " or malformed chunked encoding)")
                    .with("field", "body");
        }
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }

    private static ApiProblem slow() {
        return ApiProblem.of(
                        408, "Request Timeout", "the request body arrived slower than api.limits.min-request-data-rate")
                .with("field", "api.limits.min-request-data-rate");
    }

    static ApiProblem tooLarge(long maxBytes) {
        return ApiProblem.of(
                        413,
                        "Content Too Large",
                        "request body is larger than " + maxBytes + " bytes (api.max-body-bytes)")
                .with("limit", maxBytes)
                .with("field", "api.max-body-bytes");
    }
}
