package io.remit.scheduler.release.analysis;

import java.util.Arrays;

/**
 * The Mann-Whitney U test (Wilcoxon rank-sum) of two independent samples, two-sided, by the
 * normal approximation with the correction for ties and a continuity correction of 0.5 (as
 * scipy's {@code mannwhitneyu(x, y, method="asymptotic")} computes it). No exact distribution:
 * with fewer than about 8 values a side the approximation is rough, and callers should not
 * rely on it ({@link #MIN_SAMPLES}).
 *
 * <p>All values in both samples are ranked together (ties get the mean of the ranks they span).
 * {@code U} of the first sample is its rank sum less {@code n1(n1+1)/2}: the number of pairs
 * (x, y) with x above y, a tie counting one half. Under the null hypothesis (both from the same
 * distribution) U has mean {@code n1 n2 / 2} and variance
 * {@code n1 n2 / 12 * ((n + 1) - sum(t^3 - t) / (n (n - 1)))}, t running over the sizes of the
 * groups of tied values and n = n1 + n2.
 */
public final class MannWhitney {

    /** Fewer values than this on a side, and a caller should judge without the test. */
    public static final int MIN_SAMPLES = 8;

    /**
     * @param u U of the first sample: pairs where it is the higher, ties counting one half
     * @param z the standardised U, continuity-corrected; positive when the first sample tends higher
     * @param pValue the two-sided p-value, from 0 to 1
     */
    public record Result(int n1, int n2, double u, double z, double pValue) {

        /** Whether the first sample tends to be higher than the second ({@code U > n1 n2 / 2}). */
        public boolean firstHigher() {
            return u > n1 * (double) n2 / 2;
        }
    }

    private MannWhitney() {}

    /**
     * Tests {@code x} against {@code y}. Both must hold at least one value and no NaN. When every
     * value is the same (no variance), U sits at its mean and p is 1.
     */
    public static Result test(double[] x, double[] y) {
        int n1 = x.length;
        int n2 = y.length;
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("each sample needs at least one value (got " + n1 + " and " + n2 + ")");
        }
        int n = n1 + n2;
        double[] all = new double[n];
        System.arraycopy(x, 0, all, 0, n1);
        System.arraycopy(y, 0, all, n1, n2);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(all[i])) {
                throw new IllegalArgumentException("NaN in the samples");
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
        double rankSumX = 0;
        double tieTerm = 0; // sum of t^3 - t over groups of ties
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && all[order[end + 1]] == all[order[start]]) {
                end++;
            }
            double t = end - start + 1;
            double meanRank = (start + end) / 2.0 + 1; // ranks are 1-based
            for (int k = start; k <= end; k++) {
                if (order[k] < n1) {
                    rankSumX += meanRank;
                }
            }
            tieTerm += t * t * t - t;
            start = end + 1;
        }
        double u = rankSumX - n1 * (n1 + 1) / 2.0;
        double mean = n1 * (double) n2 / 2;
        double variance = n1 * (double) n2 / 12 * ((n + 1) - tieTerm / (n * (double) (n - 1)));
        if (!(variance > 0)) {
            return new Result(n1, n2, u, 0, 1);
        }
        double distance = Math.max(0, Math.abs(u - mean) - 0.5);
        if (distance == 0) {
            return new Result(n1, n2, u, 0, 1);
        }
        double z = Math.copySign(distance / Math.sqrt(variance), u - mean);
        return new Result(n1, n2, u, z, Math.min(1, 2 * upperTail(Math.abs(z))));
    }

    /**
     * P(Z > z) of a standard normal Z, for z at or above 0: Zelen and Severo's polynomial
     * (Abramowitz and Stegun 26.2.17), absolute error below 7.5e-8.
     */
    static double upperTail(double z) {
        if (z < 0) {
            return 1 - upperTail(-z);
        }
        double t = 1 / (1 + 0.2316419 * z);
        double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        double density = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI);
        return density * poly;
    }

    /** The median of the values (the mean of the middle two for an even count); NaN for none. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
