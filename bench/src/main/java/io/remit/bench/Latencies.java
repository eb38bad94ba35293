package io.remit.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Latency samples in milliseconds, sorted; percentiles by nearest rank (p99 of 2,000 samples is
 * the 1,980th smallest). Immutable.
 */
record Latencies(List<Double> sortedMillis) {

    Latencies {
        if (sortedMillis.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        sortedMillis = List.copyOf(sortedMillis);
    }

    static Latencies of(Collection<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return new Latencies(sorted);
    }

    /** The nearest-rank percentile, {@code p} in (0, 100]. */
    double percentile(double p) {
        int index = (int) Math.ceil(p / 100.0 * sortedMillis.size()) - 1;
        return sortedMillis.get(Math.max(0, Math.min(sortedMillis.size() - 1, index)));
    }

    double median() {
        return percentile(50);
    }

    double max() {
        return sortedMillis.get(sortedMillis.size() - 1);
    }

    double min() {
        return sortedMillis.get(0);
    }

    int count() {
        return sortedMillis.size();
    }

    /** e.g. {@code p50 1.20 ms, p90 1.80 ms, p99 3.10 ms, max 9.00 ms (n=2000)}. */
    String summary() {
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (min %.2f, n=%d)",
                median(), percentile(90), percentile(99), max(), min(), count());
    }
}
