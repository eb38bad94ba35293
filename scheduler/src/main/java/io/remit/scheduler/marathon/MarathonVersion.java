package io.remit.scheduler.marathon;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Marathon names an app's version by the time of its last change ({@code 2026-11-28T06:52:00.123Z});
 * a Remit spec version may not contain ':', so an app created or changed through {@code /v2}
 * gets that instant in a compact form ({@code 20261128T065200.123Z}), shown to Marathon clients
 * in the ISO form. Versions of specs written otherwise ({@code 1.4.2}) are shown as they are. Pure.
 */
public final class MarathonVersion {

    private static final DateTimeFormatter COMPACT =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private MarathonVersion() {}

    /** An instant as Marathon writes its versions and times: UTC, always with milliseconds ({@code 2026-11-28T06:52:00.000Z}). */
    public static String iso(Instant at) {
        return ISO.format(at.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The spec version for a change made at {@code at} (millisecond precision). */
    public static String of(Instant at) {
        return COMPACT.format(at.truncatedTo(ChronoUnit.MILLIS));
    }

    /** The version as a Marathon client sees it. */
    public static String shown(String specVersion) {
        if (specVersion == null) {
            return null;
        }
        try {
            return DateTimeFormatter.ISO_INSTANT.format(COMPACT.parse(specVersion, Instant::from));
        } catch (DateTimeParseException e) {
            return specVersion;
        }
    }
}
