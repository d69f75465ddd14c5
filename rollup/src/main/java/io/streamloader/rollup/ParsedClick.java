package io.streamloader.rollup;

import java.util.Objects;

/** What parsing one click event gave: a {@link Valid} click, or a {@link Rejected} event for the dead-letter topic. */
sealed interface ParsedClick {

    /** A click the rollup counts. */
    record Valid(Click click) implements ParsedClick {
        public Valid {
            Objects.requireNonNull(click, "click");
        }
    }

    /**
     * An event the rollup cannot count.
     *
     * @param reason what is wrong with it, for {@code sl.error.reason}
     * @param errorClass a stable category for {@code sl.error.class}: {@code parse_error} or {@code invalid_click}
     * @param value the event's value as it came, passed to the dead-letter topic untouched (not copied: internal)
     */
    record Rejected(String reason, String errorClass, byte[] value) implements ParsedClick {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(errorClass, "errorClass");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Rejected r
                    && reason.equals(r.reason)
                    && errorClass.equals(r.errorClass)
                    && java.util.Arrays.equals(value, r.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(reason, errorClass, java.util.Arrays.hashCode(value));
        }

        @Override
        public String toString() {
            return "Rejected[" + reason + ", " + errorClass + "]";
        }
    }
}
