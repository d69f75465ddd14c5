package io.streamloader.rollup;

/** Seconds as {@code [d.]HH:mm:ss}: the original's {@code HH:mm:ss}, with whole days in front instead of wrapping. */
final class AverageTime {

    private AverageTime() {}

    static String format(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must not be negative, was " + seconds);
        }
        long days = seconds / 86_400;
        long rest = seconds % 86_400;
        String clock = String.format("%02d:%02d:%02d", rest / 3600, rest % 3600 / 60, rest % 60);
        return days == 0 ? clock : days + "." + clock;
    }
}
