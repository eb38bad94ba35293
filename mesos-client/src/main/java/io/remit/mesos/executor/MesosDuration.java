package io.remit.mesos.executor;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in the format Mesos (stout) writes them: a non-negative decimal number followed
 * directly by a unit, {@code ns}, {@code us}, {@code ms}, {@code secs}, {@code mins}, {@code hrs},
 * {@code days} or {@code weeks}; e.g. {@code 5secs}, {@code 15mins}, {@code 1.5secs}, {@code 100ms}.
 * Thread-safe.
 */
public final class MesosDuration {

    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|secs|mins|hrs|days|weeks)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "ms", 1_000_000L,
            "secs", 1_000_000_000L,
            "mins", 60_000_000_000L,
            "hrs", 3_600_000_000_000L,
            "days", 86_400_000_000_000L,
            "weeks", 604_800_000_000_000L);
    private static final String[] UNITS_LARGEST_FIRST = {"weeks", "days", "hrs", "mins", "secs", "ms", "us", "ns"};

    private MesosDuration() {
    }

    /**
     * Parses {@code text}; fractions of a nanosecond are dropped.
     *
     * @throws IllegalArgumentException when it is not in the format above, saying so
     */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Mesos duration (a number and one of ns, us, ms, secs, mins, "
                    + "hrs, days, weeks, e.g. 5secs): '" + text + "'");
        }
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2))));
        try {
            return Duration.ofNanos(nanos.toBigInteger().longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("Mesos duration too long: '" + text + "'", e);
        }
    }

    /** Writes {@code duration} in the largest unit that divides it exactly, e.g. {@code 15mins}. */
    public static String format(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative duration: " + duration);
        }
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0secs";
        }
        for (String unit : UNITS_LARGEST_FIRST) {
            long per = NANOS_PER_UNIT.get(unit);
            if (nanos % per == 0) {
                return nanos / per + unit;
            }
        }
        throw new AssertionError("unreachable: ns divides everything");
    }
}
