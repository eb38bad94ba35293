package io.remit.localcluster.agent;

import java.time.Duration;

/** Durations in Mesos's own text form, e.g. {@code 5secs}, {@code 15mins}, {@code 250ms}. */
final class MesosDurations {

    private MesosDurations() {
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) {
            return ms / 86_400_000 + "days";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "hrs";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "mins";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "secs";
        }
        return ms + "ms";
    }
}
