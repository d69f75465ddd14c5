package io.streamloader.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body as it arrives, chunked or not: the parsers read it as a stream and refuse it at the first element past
 * a limit, so a 10 MiB array of empty objects costs the bytes up to its 5,001st event, not 10 MiB. Every chunk is
 * reserved on the in-flight permit before the next is read, and the read stops with 413 one chunk past the cap,
 * whatever {@code Content-Length} said. What arrived is kept, in chunks of at most {@link #CHUNK} bytes (never one
 * growing array), so that events can be sliced out of it.
 *
 * <p>Reads throw {@link ApiProblem} (never {@link IOException}): 413 past the cap, 429 when the permit cannot grow, 408
 * below the minimum rate, 400 when the stream fails. One per request, on its thread.
 */
final class BoundedBody extends InputStream {

    /** The most read at once, and the size of every kept chunk but the first. */
    static final int CHUNK = 64 * 1024;
    /** How long a body may take before its average rate is judged. */
    static final java.time.Duration GRACE = java.time.Duration.ofSeconds(1);

    private static final long GRACE_NANOS = GRACE.toNanos();
    /** A large body gives up its carrier thread this often, so small requests are not queued behind its reading. */
    private static final long YIELD_EVERY = 256 * 1024;

    private static final byte[] NONE = new byte[0];

    private final InputStream in;
    private final long declared;
    private final long maxBytes;
    private final long minBytesPerSecond;
    private final InFlightLimiter.Permit permit;
    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] last = NONE;
    private int lastFill;
    private long received;
    private long position;
    private long started;
    private boolean ended;
    private byte[] whole;
    private long yielded;

    private BoundedBody(
            InputStream in, long declared, long maxBytes, long minBytesPerSecond, InFlightLimiter.Permit permit) {
        this.in = in;
        this.declared = declared;
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = minBytesPerSecond;
        this.permit = permit;
    }

    /**
     * A body to be read from {@code in}.
     *
     * @param declared the request's {@code Content-Length}, -1 when unknown: only a sizing hint
     * @param minBytesPerSecond a body arriving slower than this on average once {@link #GRACE} has passed since its
     *     first read is refused with 408 (0: no check). Measured from the first read, not from the request's start, so
     *     a server slow to reach the body never blames a small, prompt request.
     */
    static BoundedBody of(
            InputStream in, long declared, long maxBytes, long minBytesPerSecond, InFlightLimiter.Permit permit) {
        return new BoundedBody(in, declared, maxBytes, minBytesPerSecond, permit);
    }

    /** A body already received in full (tests, generated bodies): no limits apply. */
    static BoundedBody of(byte[] bytes) {
        return new BoundedBody(new ByteArrayInputStream(bytes), bytes.length, Long.MAX_VALUE - 1, 0, null);
    }

    /** Reads all of {@code in} through the limits; see {@link #of(InputStream, long, long, long, InFlightLimiter.Permit)}. */
    static byte[] read(
            InputStream in, long declared, long maxBytes, long minBytesPerSecond, InFlightLimiter.Permit permit) {
        return of(in, declared, maxBytes, minBytesPerSecond, permit).readFully();
    }

    /** Like {@link #read(InputStream, long, long, long, InFlightLimiter.Permit)} without a minimum rate. */
    static byte[] read(InputStream in, long declared, long maxBytes, InFlightLimiter.Permit permit) {
        return read(in, declared, maxBytes, 0, permit);
    }

    /** Bytes received so far. */
    long received() {
        return received;
    }

    /**
     * Receives one more piece of the body.
     *
     * @return false at the body's end
     */
    boolean fill() {
        if (ended) {
            return false;
        }
        byte[] target = lastFill < last.length ? last : new byte[nextChunkSize()];
        int offset = target == last ? lastFill : 0;
        if (started == 0) {
            started = System.nanoTime();
        }
        int n;
        try {
            n = in.read(target, offset, target.length - offset);
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
        if (n < 0) {
            ended = true;
            return false;
        }
        if (target != last) {
            chunks.add(target);
            last = target;
            lastFill = 0;
        }
        if (permit != null) {
            permit.grow(n);
        }
        lastFill += n;
        received += n;
        if (received > maxBytes) {
            throw tooLarge(maxBytes);
        }
        if (received - yielded >= YIELD_EVERY) {
            // virtual threads are not preempted: a body that keeps arriving would hold one of the few carriers
            yielded = received;
            if (Thread.currentThread().isVirtual()) {
                Thread.yield();
            }
        }
        long elapsed = System.nanoTime() - started;
        if (minBytesPerSecond > 0
                && elapsed > GRACE_NANOS
                && received < minBytesPerSecond * (elapsed / 1_000_000L) / 1000) {
            throw slow();
        }
        return true;
    }

    /**
     * The next chunk's size: the rest of a declared length (only its end can follow it), or for a body of unknown length
     * as much as arrived so far; never more than {@link #CHUNK} or one byte past the cap.
     */
    private int nextChunkSize() {
        long size;
        if (declared > received) {
            size = declared - received;
        } else if (declared >= 0) {
            size = 1;
        } else {
            size = Math.max(1024, received);
        }
        return (int) Math.max(1, Math.min(Math.min(size, CHUNK), maxBytes + 1 - received));
    }

    /** The whole body, read to its end through the limits. */
    byte[] readFully() {
        if (whole == null) {
            while (fill()) {
                // receiving
            }
            whole = chunks.size() == 1 && lastFill == last.length ? last : slice(0, received);
        }
        return whole;
    }

    /** A copy of the bytes received in {@code [from, to)}. */
    byte[] slice(long from, long to) {
        if (from < 0 || to > received || from > to) {
            throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + received);
        }
        byte[] out = new byte[Math.toIntExact(to - from)];
        long start = 0;
        int written = 0;
        for (byte[] chunk : chunks) {
            long end = start + chunk.length;
            if (end > from && start < to) {
                int a = (int) (Math.max(from, start) - start);
                int b = (int) (Math.min(to, end) - start);
                System.arraycopy(chunk, a, out, written, b - a);
                written += b - a;
            }
            if (end >= to) {
                break;
            }
            start = end;
        }
        return out;
    }

    /** The offset of the first {@code b} at or after {@code from} among the bytes received, or -1. */
    long indexOf(byte b, long from) {
        long start = 0;
        for (byte[] chunk : chunks) {
            int filled = chunk == last ? lastFill : chunk.length;
            if (start + filled > from) {
                for (int i = (int) Math.max(0, from - start); i < filled; i++) {
                    if (chunk[i] == b) {
                        return start + i;
                    }
                }
            }
            start += filled;
        }
        return -1;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** Hands out the received bytes in order, receiving more when all were handed out. */
    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        while (position == received) {
            if (!fill()) {
                return -1;
            }
        }
        int index = chunks.size() - 1;
        long start = received - lastFill;
        while (position < start) { // a reader keeps up with fill(): this walks back a chunk at most, usually none
            index--;
            start -= chunks.get(index).length;
        }
        byte[] chunk = chunks.get(index);
        int from = (int) (position - start);
        int filled = index == chunks.size() - 1 ? lastFill : chunk.length;
        int n = Math.min(len, filled - from);
        System.arraycopy(chunk, from, b, off, n);
        position += n;
        return n;
    }

    /** The servlet stream belongs to the request: closing this leaves it open. */
    @Override
    public void close() {}

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
