package io.streamloader.core.config;

import java.util.Collection;
import java.util.Comparator;

/** Builds the message for an unknown key: the closest known key when one is near enough, else the known keys. */
final class KeySuggestions {

    private KeySuggestions() {}

    static String unknownKey(String key, Collection<String> known) {
        if (known.isEmpty()) {
            return "unknown key; this section takes no keys";
        }
        String closest = known.stream()
                .min(Comparator.comparingInt(k -> distance(key, k)))
                .orElseThrow();
        if (distance(key, closest) <= Math.max(2, key.length() / 3)) {
            return "unknown key; did you mean '" + closest + "'?";
        }
        return "unknown key; known keys here: " + String.join(", ", known);
    }

    /** Levenshtein distance, ignoring case and treating '-', '_' and '.' alike (a common slip in YAML keys). */
    static int distance(String a, String b) {
        String s = normalize(a);
        String t = normalize(b);
        int[] previous = new int[t.length() + 1];
        int[] current = new int[t.length() + 1];
        for (int j = 0; j <= t.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= s.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= t.length(); j++) {
                int cost = s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[t.length()];
    }

    private static String normalize(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replace('_', '-').replace('.', '-');
    }
}
