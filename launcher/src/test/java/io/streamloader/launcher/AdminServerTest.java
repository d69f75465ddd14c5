package io.streamloader.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AdminServerTest {

    @Test
    void theReadinessChecksRunAtTheSameTimeAndAnswerInOrder() {
        // each check answers only once every check has started: one after another, the first would give up
        CountDownLatch started = new CountDownLatch(4);
        List<Supplier<String>> checks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "store-" + i;
            checks.add(() -> {
                started.countDown();
                try {
                    return started.await(10, TimeUnit.SECONDS) ? name : name + " waited alone";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return name + " interrupted";
                }
            });
        }

        assertThat(AdminServer.all(checks)).containsExactly("store-0", "store-1", "store-2", "store-3");
    }
}
