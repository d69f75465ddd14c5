package io.streamloader.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which partitions of a topic a {@code streamloader run} process owns now, read from its log's {@code sink <name>:
 * assigned [...]} / {@code revoked [...]} lines (core's Worker logs every change of ownership).
 */
final class Ownership {
    private static final Pattern LINE = Pattern.compile("(assigned|revoked) \\[([^\\]]*)\\]");

    private Ownership() {}

    /** Partition numbers of {@code topic} the process logging to {@code log} owns; empty when it logged none yet. */
    static Set<Integer> owned(Path log, String topic) {
        Set<Integer> owned = new HashSet<>();
        String text;
        try {
            text = Files.readString(log);
        } catch (IOException e) {
            return owned;
        }
        Matcher m = LINE.matcher(text);
        while (m.find()) {
            for (String tp : m.group(2).split(",")) {
                String t = tp.trim();
                int dash = t.lastIndexOf('-');
                if (dash <= 0 || !t.substring(0, dash).equals(topic)) {
                    continue;
                }
                int partition = Integer.parseInt(t.substring(dash + 1));
                if (m.group(1).equals("assigned")) {
                    owned.add(partition);
                } else {
                    owned.remove(partition);
                }
            }
        }
        return owned;
    }
}
