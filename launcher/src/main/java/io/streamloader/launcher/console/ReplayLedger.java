package io.streamloader.launcher.console;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dead letters this process has replayed (by dead-letter topic, partition and offset), so that a repeated or
 * concurrent request does not send the same letter again. A letter is claimed before it is sent and released if the
 * send fails. Kept in memory and bounded ({@link #CAPACITY}, oldest forgotten first): a restarted process or another
 * process (the {@code dlq} command) replays again, which the sinks absorb because they write under the event's id.
 */
public final class ReplayLedger {
    public static final int CAPACITY = 100_000;
    private final Map<String, Boolean> replayed = new LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    static String key(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    /** True when nobody claimed the letter before: the caller sends it. */
    synchronized boolean claim(String letter) {
        return replayed.putIfAbsent(letter, Boolean.TRUE) == null;
    }

    /** Forgets a claim whose send failed, so the letter can be replayed again. */
    synchronized void release(String letter) {
        replayed.remove(letter);
    }

    synchronized boolean contains(String letter) {
        return replayed.containsKey(letter);
    }
}
