package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each bound of {@link RequestLimits} and {@link BoundedBody}: refused with its key, before the work is done. */
class RequestLimitsTest {

    private static final RequestLimits SMALL = new RequestLimits(10, 5, 8, 10, Duration.ofSeconds(5), 1024);
    private final BodyParser parser =
            new BodyParser(ApiConfig.from(Map.of("topics", List.of("t"))).withLimits(SMALL));

    private static IncomingBody body(String contentType, String text) {
        return new IncomingBody(
                Optional.of(contentType), text.getBytes(StandardCharsets.UTF_8), Map.of(), Map.of(), Optional.empty());
    }

    private static ApiProblem problem(Runnable r) {
        try {
            r.run();
        } catch (ApiProblem p) {
            return p;
        }
        throw new AssertionError("no problem thrown");
    }

    @Test
    void jsonArrayAtTheEventCapIsAcceptedOneMoreIs413NamingTheKey() {
        assertThat(parser.parse("t", body("application/json", "[" + "{},".repeat(9) + "{}]")))
                .hasSize(10);
        var p = problem(() -> parser.parse("t", body("application/json", "[" + "{},".repeat(10) + "{}]")));
        assertThat(p.status()).isEqualTo(413);
        assertThat(p.extensions())
                .containsEntry("limit", 10L)
                .containsEntry("field", "api.limits.max-events-per-request");
    }

    @Test
    void eventCapStopsTheParserBeforeTheRestOfTheBody() {
        // garbage after element 11 is never reached: the cap fires first, so the scan stops there
        var p = problem(() -> parser.parse("t", body("application/json", "[" + "{},".repeat(11) + "%%%garbage")));
        assertThat(p.status()).isEqualTo(413);
    }

    @Test
    void millionsOfTinyEventsAre413FastAndWithoutBuildingThem() {
        var defaults = new BodyParser(ApiConfig.defaults());
        byte[] huge = ("[" + "{},".repeat(3_000_000) + "{}]").getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        var p = problem(() -> defaults.parse(
                "events",
                new IncomingBody(Optional.of("application/json"), huge, Map.of(), Map.of(), Optional.empty())));
        assertThat(p.status()).isEqualTo(413);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void ndjsonLinesCountAgainstTheEventCap() {
        assertThat(parser.parse("t", body("application/x-ndjson", "{}\n".repeat(10))))
                .hasSize(10);
        assertThat(problem(() -> parser.parse("t", body("application/x-ndjson", "{}\n".repeat(11))))
                        .status())
                .isEqualTo(413);
        // blank lines are not events
        assertThat(parser.parse("t", body("application/x-ndjson", "\n\n{}\n\n".repeat(10))))
                .hasSize(10);
    }

    @Test
    void nestingDeeperThanTheLimitIs400NamingTheKey() {
        assertThat(parser.parse("t", body("application/json", "{\"a\":" + "[".repeat(6) + "]".repeat(6) + "}")))
                .hasSize(1);
        for (String bomb : List.of(
                "{\"a\":" + "[".repeat(50) + "]".repeat(50) + "}",
                "[" + "{\"a\":".repeat(40) + "1" + "}".repeat(40) + "]",
                "{\"a\":" + "[".repeat(100_000))) {
            var p = problem(() -> parser.parse("t", body("application/json", bomb)));
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.detail()).contains("api.limits.max-nesting-depth").doesNotContain("StreamReadConstraints");
        }
        var line = problem(() -> parser.parse("t", body("application/x-ndjson", "{}\n{\"a\":" + "[".repeat(99))));
        assertThat(line.extensions()).containsEntry("line", 2);
    }

    @Test
    void hugeNumbersAreRefusedWithoutInternals() {
        var p = problem(() -> parser.parse("t", body("application/json", "{\"id\":1" + "0".repeat(5000) + "}")));
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.detail()).doesNotContain("StreamReadConstraints").doesNotContain("jackson");
    }

    @Test
    void formFieldsPastTheCapAre413() {
        assertThat(parser.parse("t", body("application/x-www-form-urlencoded", "a=1&b=2&c=3&d=4&e=5")))
                .hasSize(1);
        var p = problem(() -> parser.parse("t", body("application/x-www-form-urlencoded", "a=1&".repeat(200_000))));
        assertThat(p.status()).isEqualTo(413);
        assertThat(p.extensions()).containsEntry("field", "api.limits.max-form-fields");
        // empty pairs are not fields, but cost nothing either
        assertThat(parser.parse("t", body("application/x-www-form-urlencoded", "&".repeat(500_000) + "a=1")))
                .hasSize(1);
    }

    @Test
    void bodiesPastTheirCountCapsAreRefusedWithoutReadingTheRest() {
        // 10 MiB of each, arriving as from a socket: each is refused within the first chunks, the rest never read
        var defaults = new BodyParser(ApiConfig.defaults());
        int tenMiB = 10 << 20;
        Map<String, byte[]> bodies = Map.of(
                "application/json", repeat("[", "{},", tenMiB),
                "application/x-ndjson", repeat("", "{}\n", tenMiB),
                "application/x-www-form-urlencoded", repeat("", "a=1&", tenMiB));
        bodies.forEach((type, bytes) -> {
            var read = new java.util.concurrent.atomic.AtomicLong();
            var limiter = new InFlightLimiter(64 << 20, 1);
            try (var permit = limiter.acquire(1)) {
                var in = BoundedBody.of(counting(bytes, read), bytes.length, 16 << 20, 0, permit);
                var p = problem(() -> defaults.parse(
                        "t", new IncomingBody(Optional.of(type), in, Map.of(), Map.of(), Optional.empty())));
                assertThat(p.status()).as(type).isEqualTo(413);
                assertThat(read.get()).as(type + ": bytes read").isLessThan(256 * 1024);
            }
        });
    }

    /** {@code head} then {@code unit} until {@code size} bytes. */
    private static byte[] repeat(String head, String unit, int size) {
        byte[] out = new byte[size];
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] u = unit.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(h, 0, out, 0, h.length);
        for (int i = h.length; i < size; i++) {
            out[i] = u[(i - h.length) % u.length];
        }
        return out;
    }

    /** {@code bytes} handed out at most 8 KiB per read (as Jetty does), counting what was read. */
    private static InputStream counting(byte[] bytes, java.util.concurrent.atomic.AtomicLong read) {
        return new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int at = (int) read.get();
                if (at == bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 8192), bytes.length - at);
                System.arraycopy(bytes, at, b, off, n);
                read.addAndGet(n);
                return n;
            }
        };
    }

    @Test
    void boundedBodyCutsAtTheCapWhateverTheDeclaredLength() {
        var limiter = new InFlightLimiter(1 << 20, 1);
        try (var permit = limiter.acquire(1)) {
            byte[] ok = BoundedBody.read(new ByteArrayInputStream(new byte[1000]), -1, 1000, permit);
            assertThat(ok).hasSize(1000);
            assertThat(limiter.inFlight()).isEqualTo(1001);
        }
        assertThat(limiter.inFlight()).isZero();
        try (var permit = limiter.acquire(1)) {
            var p = problem(() -> BoundedBody.read(endless(), 10, 1000, permit));
            assertThat(p.status()).isEqualTo(413);
            assertThat(p.extensions()).containsEntry("field", "api.max-body-bytes");
            // it read at most one chunk past the cap, never the endless rest
            assertThat(limiter.inFlight()).isLessThanOrEqualTo(1000 + 64 * 1024 + 1);
        }
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void inFlightPermitsGrowWithReceivedBytesAnd429WhenFull() {
        var limiter = new InFlightLimiter(10_000, 3);
        var holder = limiter.acquire(9_000);
        try (var permit = limiter.acquire(1)) {
            var p = problem(() -> BoundedBody.read(new ByteArrayInputStream(new byte[5000]), 5000, 100_000, permit));
            assertThat(p.status()).isEqualTo(429);
            assertThat(p.retryAfterSeconds()).contains(3L);
        }
        holder.close();
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void aLargeBodyWaitsForATurnWhileSmallOnesPassAndGets429WhenNoneComes() {
        var limiter = new InFlightLimiter(64 << 20, 2, 1, Duration.ofMillis(300));
        var large = limiter.acquire(1);
        large.grow(InFlightLimiter.LARGE); // past the threshold: takes the only turn
        assertThat(limiter.largeInFlight()).isEqualTo(1);
        // a small request never waits for a turn
        long start = System.nanoTime();
        try (var small = limiter.acquire(1)) {
            small.grow(100 * 1024);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));
        // nor does a blob (copied, not parsed), however large
        start = System.nanoTime();
        try (var blob = limiter.acquire(1)) {
            blob.withoutTurn();
            blob.grow(8L << 20);
            assertThat(limiter.largeInFlight()).isEqualTo(1);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));
        // a second large one waits TURN_WAIT, then 429 with Retry-After; it holds nothing afterwards
        try (var second = limiter.acquire(1)) {
            long waited = System.nanoTime();
            var p = problem(() -> second.grow(InFlightLimiter.LARGE));
            assertThat(p.status()).isEqualTo(429);
            assertThat(p.retryAfterSeconds()).contains(2L);
            assertThat(p.extensions()).containsEntry("limit", InFlightLimiter.LARGE);
            assertThat(Duration.ofNanos(System.nanoTime() - waited)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
        large.close();
        large.close(); // twice releases once
        assertThat(limiter.largeInFlight()).isZero();
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void largeBodiesTakeTurnsInArrivalOrder() throws Exception {
        var limiter = new InFlightLimiter(64 << 20, 1, 1, Duration.ofSeconds(30));
        var first = limiter.acquire(InFlightLimiter.LARGE + 1);
        var order = new java.util.concurrent.ConcurrentLinkedQueue<Integer>();
        var threads = new java.util.ArrayList<Thread>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try (var p = limiter.acquire(InFlightLimiter.LARGE + 1)) {
                    order.add(n);
                }
            }));
            // the next one arrives once this one is queued for the turn
            org.awaitility.Awaitility.await().until(() -> queued(limiter) == n + 1);
        }
        assertThat(order).isEmpty(); // all wait while the first holds the turn
        first.close();
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(30));
        }
        assertThat(order).containsExactly(0, 1, 2);
        assertThat(limiter.largeInFlight()).isZero();
    }

    private static int queued(InFlightLimiter limiter) {
        return limiter.waitingForTurn();
    }

    @Test
    void aFailingStreamIs400WithoutItsMessage() {
        var limiter = new InFlightLimiter(10_000, 1);
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("org.eclipse.jetty.io.EofException: secret internals");
            }
        };
        try (var permit = limiter.acquire(1)) {
            var p = problem(() -> BoundedBody.read(broken, -1, 1000, permit));
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.detail()).doesNotContain("jetty").doesNotContain("Exception");
        }
    }

    @Test
    void aBodyTricklingBelowTheMinimumRateIs408AfterTheGrace() {
        var limiter = new InFlightLimiter(1 << 20, 1);
        InputStream trickle = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                try {
                    TimeUnit.MILLISECONDS.sleep(50); // the sender's pacing: one byte per 50 ms
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                b[off] = 'x';
                return 1;
            }
        };
        try (var permit = limiter.acquire(1)) {
            long start = System.nanoTime();
            var p = problem(() -> BoundedBody.read(trickle, 100_000, 1 << 20, 1024, permit));
            assertThat(p.status()).isEqualTo(408);
            assertThat(p.extensions()).containsEntry("field", "api.limits.min-request-data-rate");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(BoundedBody.GRACE)
                    .isLessThan(BoundedBody.GRACE.multipliedBy(5));
        }
        // a small body that arrives at once passes whatever the rate
        try (var permit = limiter.acquire(1)) {
            assertThat(BoundedBody.read(new ByteArrayInputStream(new byte[10]), 10, 1000, 1 << 20, permit))
                    .hasSize(10);
        }
    }

    private static InputStream endless() {
        return new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
    }
}
