package io.streamloader.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedCheckTest {

    @Test
    void aFloodOf500ConcurrentCallersStartsOneProbe() throws Exception {
        var probes = new AtomicInteger();
        var inFlight = new AtomicInteger();
        var maxInFlight = new AtomicInteger();
        var release = new CountDownLatch(1);
        var check = new CachedCheck<>(
                () -> {
                    probes.incrementAndGet();
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    try {
                        release.await(5, TimeUnit.SECONDS); // a slow store: every caller arrives while it runs
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    inFlight.decrementAndGet();
                    return "UP";
                },
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                why -> "DOWN " + why);
        List<Future<String>> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var started = new CountDownLatch(500);
            for (int i = 0; i < 500; i++) {
                answers.add(pool.submit(() -> {
                    started.countDown();
                    return check.get();
                }));
            }
            started.await();
            release.countDown();
            for (Future<String> a : answers) {
                assertThat(a.get()).isEqualTo("UP");
            }
        }
        assertThat(probes.get()).isEqualTo(1);
        assertThat(maxInFlight.get()).isEqualTo(1);
    }

    @Test
    void anAnswerIsReusedForTheTtlThenProbedAgain() {
        var now = new AtomicLong();
        var probes = new AtomicInteger();
        var check = new CachedCheck<>(
                () -> "answer " + probes.incrementAndGet(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                why -> "DOWN",
                now::get);
        assertThat(check.get()).isEqualTo("answer 1");
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(check.get()).isEqualTo("answer 1");
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(check.get()).isEqualTo("answer 2");
        assertThat(probes.get()).isEqualTo(2);
    }

    @Test
    void aHangingProbeAnswersWithinTheTimeoutAndIsNotStartedTwice() {
        var probes = new AtomicInteger();
        var hang = new CountDownLatch(1);
        var check = new CachedCheck<>(
                () -> {
                    probes.incrementAndGet();
                    try {
                        hang.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "late";
                },
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                why -> "DOWN " + why);
        long start = System.nanoTime();
        assertThat(check.get()).isEqualTo("DOWN no answer within 100 ms");
        assertThat(check.get()).startsWith("DOWN");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(probes.get()).isEqualTo(1);
        hang.countDown();
        org.awaitility.Awaitility.await().until(() -> check.get().equals("late"));
        assertThat(probes.get()).isEqualTo(1);
    }

    @Test
    void aProbeThatThrowsGivesTheFailureAnswer() {
        CachedCheck<String> check = new CachedCheck<>(
                () -> {
                    throw new IllegalStateException("boom");
                },
                Duration.ZERO,
                Duration.ofSeconds(1),
                why -> "DOWN " + why);
        assertThat(check.get()).isEqualTo("DOWN probe failed: IllegalStateException");
    }
}
