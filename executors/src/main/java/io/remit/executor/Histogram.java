package io.remit.executor;

import java.time.Duration;
import java.util.Arrays;

/**
 * A Prometheus histogram of durations in seconds with fixed buckets: cumulative counts per upper
 * bound, the sum and the count. Thread-safe; observations and reads are short and locked.
 */
final class Histogram {

    /** From 1 ms to 10 s: health checks and etcd writes on one agent fall in there. */
    static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final double[] bounds;
    private final long[] counts;
    private long count;
    private double sum;

    Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.counts = new long[bounds.length];
    }

    synchronized void observe(Duration d) {
        double seconds = d.toNanos() / 1e9;
        for (int i = 0; i < bounds.length; i++) {
            if (seconds <= bounds[i]) {
                counts[i]++;
            }
        }
        count++;
        sum += seconds;
    }

    synchronized long count() {
        return count;
    }

    /** Appends the series {@code name_bucket}, {@code name_sum} and {@code name_count} (no HELP or TYPE). */
    void write(StringBuilder out, String name) {
        long[] c;
        long n;
        double s;
        synchronized (this) {
            c = Arrays.copyOf(counts, counts.length);
            n = count;
            s = sum;
        }
        for (int i = 0; i < bounds.length; i++) {
            out.append(name).append("_bucket{le=\"").append(ExecutorMetrics.number(bounds[i])).append("\"} ").append(c[i]).append('\n');
        }
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(n).append('\n');
        out.append(name).append("_sum ").append(ExecutorMetrics.number(s)).append('\n');
        out.append(name).append("_count ").append(n).append('\n');
    }
}
