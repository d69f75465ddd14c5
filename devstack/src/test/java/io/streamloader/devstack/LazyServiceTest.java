package io.streamloader.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyServiceTest {

    @Test
    void concurrentFirstCallsStartTheServiceOnce() throws Exception {
        AtomicInteger created = new AtomicInteger();
        CountingService service = new CountingService();
        LazyService<CountingService> lazy = new LazyService<>(() -> {
            created.incrementAndGet();
            return service;
        });
        CountDownLatch go = new CountDownLatch(1);
        List<Future<CountingService>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return lazy.get();
                }));
            }
            go.countDown();
            for (Future<CountingService> result : results) {
                assertThat(result.get()).isSameAs(service);
            }
        }
        assertThat(created).hasValue(1);
        assertThat(service.starts).hasValue(1);
    }

    @Test
    void nothingStartsUntilFirstUse() {
        CountingService service = new CountingService();
        LazyService<CountingService> lazy = new LazyService<>(() -> service);

        lazy.stop();

        assertThat(service.starts).hasValue(0);
        assertThat(service.stops).hasValue(0);
    }

    @Test
    void aFailedStartIsReportedToLaterCallersWithoutRetrying() {
        AtomicInteger attempts = new AtomicInteger();
        LazyService<CountingService> lazy = new LazyService<>(() -> {
            attempts.incrementAndGet();
            throw new DevStackException("Kafka: port 9092 on 127.0.0.1 is already in use");
        });

        assertThatThrownBy(lazy::get).hasMessageContaining("9092");
        assertThatThrownBy(lazy::get)
                .hasMessageContaining("an earlier start failed")
                .hasMessageContaining("9092");
        assertThat(attempts).hasValue(1);
    }

    private static final class CountingService implements DevService {
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger stops = new AtomicInteger();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public void start() {
            starts.incrementAndGet();
        }

        @Override
        public void stop() {
            stops.incrementAndGet();
        }

        @Override
        public boolean isRunning() {
            return starts.get() > stops.get();
        }
    }
}
