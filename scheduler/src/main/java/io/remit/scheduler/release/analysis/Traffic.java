package io.remit.scheduler.release.analysis;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one cohort served over the window, overall or on one endpoint: requests, those answered
 * 5xx, the latency histogram of the whole window, and one per interval (by the interval's end).
 */
record Traffic(double requests, double errors, LatencyHistogram window, SortedMap<Instant, LatencyHistogram> intervals) {

    static final Traffic NONE = new Traffic(0, 0, LatencyHistogram.EMPTY, new TreeMap<>());

    /** The share of requests answered 5xx; NaN without requests. */
    double errorRate() {
        return requests > 0 ? errors / requests : Double.NaN;
    }

    /** The {@code q} quantile of the whole window, in milliseconds; NaN without requests. */
    double latencyMs(double q) {
        return window.quantile(q) * 1000;
    }

    /** The {@code q} quantile of each interval that had requests, in milliseconds, in time order. */
    double[] intervalLatenciesMs(double q) {
        return intervals.values().stream().filter(h -> h.count() > 0).mapToDouble(h -> h.quantile(q) * 1000)
                .filter(Double::isFinite).toArray();
    }

    /** Both together: requests added, histograms added bucket by bucket, interval by interval. */
    Traffic plus(Traffic o) {
        SortedMap<Instant, LatencyHistogram> merged = new TreeMap<>(intervals);
        for (Map.Entry<Instant, LatencyHistogram> e : o.intervals.entrySet()) {
            merged.merge(e.getKey(), e.getValue(), LatencyHistogram::plus);
        }
        return new Traffic(requests + o.requests, errors + o.errors, window.plus(o.window), merged);
    }
}
