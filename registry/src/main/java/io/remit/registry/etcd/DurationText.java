package io.remit.registry.etcd;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as operators write them: ISO-8601 ({@code PT1.5S}) or a whole number and a
 * unit, with or without a space: {@code 250ms}, {@code 5s}, {@code 10 seconds}, {@code 2m},
 * {@code 1h}, {@code 1d}. Units: ns, us, ms, s, m (minutes), h, d and their English names.
 */
public final class DurationText {

    private static final Pattern AMOUNT_UNIT = Pattern.compile("(\\d+)\\s*([a-zA-Z]+)");
    private static final Map<String, ChronoUnit> UNITS = Map.ofEntries(
            Map.entry("ns", ChronoUnit.NANOS), Map.entry("nanosecond", ChronoUnit.NANOS),
            Map.entry("us", ChronoUnit.MICROS), Map.entry("microsecond", ChronoUnit.MICROS),
            Map.entry("ms", ChronoUnit.MILLIS), Map.entry("millisecond", ChronoUnit.MILLIS),
            Map.entry("s", ChronoUnit.SECONDS), Map.entry("second", ChronoUnit.SECONDS),
            Map.entry("m", ChronoUnit.MINUTES), Map.entry("min", ChronoUnit.MINUTES),
            Map.entry("minute", ChronoUnit.MINUTES),
            Map.entry("h", ChronoUnit.HOURS), Map.entry("hour", ChronoUnit.HOURS),
            Map.entry("d", ChronoUnit.DAYS), Map.entry("day", ChronoUnit.DAYS));

    private DurationText() {
    }

    /** The duration {@code text} names; an {@link IllegalArgumentException} saying why not. */
    public static Duration parse(String text) {
        String t = text.strip();
        if (t.startsWith("P") || t.startsWith("p") || t.startsWith("-P")) {
            try {
                return Duration.parse(t);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration", e);
            }
        }
        Matcher m = AMOUNT_UNIT.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 5s, 2m or PT5S");
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        ChronoUnit chrono = UNITS.get(unit);
        if (chrono == null && unit.endsWith("s")) {
            chrono = UNITS.get(unit.substring(0, unit.length() - 1)); // "seconds", "mins"
        }
        if (chrono == null) {
            throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + m.group(2) + "'");
        }
        try {
            return Duration.of(Long.parseLong(m.group(1)), chrono);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is out of range", e);
        }
    }
}
