package io.remit.scheduler.release.analysis;

import java.util.Map;
import java.util.TreeMap;

/**
 * A cumulative histogram of request latencies in seconds: per bucket upper bound ({@code le}),
 * the requests at or below it, the last bound +Inf. Immutable. Counts come from
 * {@code increase()} over Prometheus's counters and so need not be whole.
 */
final class LatencyHistogram {

    static final LatencyHistogram EMPTY = new LatencyHistogram(new TreeMap<>());

    private final TreeMap<Double, Double> cumulative;

    private LatencyHistogram(TreeMap<Double, Double> cumulative) {
        this.cumulative = cumulative;
    }

    /** From bucket counts by upper bound, as read; a NaN count counts as nothing. */
    static LatencyHistogram of(Map<Double, Double> byUpperBound) {
        TreeMap<Double, Double> m = new TreeMap<>();
        byUpperBound.forEach((le, count) -> m.merge(le, Double.isNaN(count) ? 0 : count, Double::sum));
        return new LatencyHistogram(m);
    }

    /** Bucket by bucket sum, for the histogram of several endpoints or instances. */
    LatencyHistogram plus(LatencyHistogram other) {
        TreeMap<Double, Double> m = new TreeMap<>(cumulative);
        other.cumulative.forEach((le, count) -> m.merge(le, count, Double::sum));
        return new LatencyHistogram(m);
    }

    /** The requests counted: the +Inf bucket's count; 0 when there is none. */
    double count() {
        Double all = cumulative.get(Double.POSITIVE_INFINITY);
        return all == null ? 0 : all;
    }

    /**
     * The {@code q} quantile (0 to 1) in seconds, estimated as Prometheus's
     * {@code histogram_quantile} does: find the bucket the q-th request falls into and
     * interpolate linearly inside it, the first bucket starting at 0 (unless its bound is not
     * above 0), and a rank that falls into the +Inf bucket giving the highest finite bound.
     * Counts that decrease from one bucket to the next (as {@code increase()} can yield) are
     * raised to the one before. NaN when there are no requests or no +Inf bucket.
     */
    double quantile(double q) {
        if (!cumulative.containsKey(Double.POSITIVE_INFINITY) || cumulative.size() < 2) {
            return Double.NaN;
        }
        double[] bounds = new double[cumulative.size()];
        double[] counts = new double[bounds.length];
        int i = 0;
        double running = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            bounds[i] = e.getKey();
            running = Math.max(running, e.getValue());
            counts[i++] = running;
        }
        double total = counts[counts.length - 1];
        if (!(total > 0)) {
            return Double.NaN;
        }
        double rank = q * total;
        int b = 0;
        while (b < counts.length - 1 && counts[b] < rank) {
            b++;
        }
        if (b == bounds.length - 1) {
            return bounds[bounds.length - 2];
        }
        if (b == 0 && bounds[0] <= 0) {
            return bounds[0];
        }
        double start = b == 0 ? 0 : bounds[b - 1];
        double below = b == 0 ? 0 : counts[b - 1];
        double inBucket = counts[b] - below;
        if (inBucket <= 0) {
            return bounds[b];
        }
        return start + (bounds[b] - start) * ((rank - below) / inBucket);
    }

    @Override
    public String toString() {
        return "LatencyHistogram" + cumulative;
    }
}
