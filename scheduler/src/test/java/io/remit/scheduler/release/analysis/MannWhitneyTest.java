package io.remit.scheduler.release.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/**
 * Against values worked out by hand below (and the same from scipy 1.17's
 * {@code mannwhitneyu(x, y, method="asymptotic")}, which makes the same corrections).
 */
class MannWhitneyTest {

    @Test
    void completelySeparatedSamples() {
        // x = 1..5, y = 6..10: every y above every x, so U(x) = 0 (rank sum 15 - 5*6/2).
        // mean 5*5/2 = 12.5; no ties: variance 25/12 * 11 = 22.9167, sd 4.78714;
        // z = -(12.5 - 0.5) / 4.78714 = -2.50672; p = 2 * P(Z > 2.50672) = 0.0121858.
        MannWhitney.Result r = MannWhitney.test(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10});

        assertThat(r.u()).isEqualTo(0);
        assertThat(r.z()).isCloseTo(-2.50672, offset(1e-5));
        assertThat(r.pValue()).isCloseTo(0.0121858, offset(1e-6));
        assertThat(r.firstHigher()).isFalse();

        MannWhitney.Result reversed = MannWhitney.test(new double[] {6, 7, 8, 9, 10}, new double[] {1, 2, 3, 4, 5});
        assertThat(reversed.u()).isEqualTo(25);
        assertThat(reversed.z()).isCloseTo(2.50672, offset(1e-5));
        assertThat(reversed.pValue()).isEqualTo(r.pValue());
        assertThat(reversed.firstHigher()).isTrue();
    }

    @Test
    void tiesShareTheirMeanRankAndShrinkTheVariance() {
        // x = 1 2 2 3, y = 2 3 3 4. Ranked together: 1 -> 1; the three 2s span 2..4 -> 3 each;
        // the three 3s span 5..7 -> 6 each; 4 -> 8. Rank sum of x = 1 + 3 + 3 + 6 = 13, U = 13 - 10 = 3.
        // mean 8; ties 2 groups of 3: sum(t^3 - t) = 48; variance = 16/12 * (9 - 48/56) = 10.85714,
        // sd 3.29502; z = -(5 - 0.5) / 3.29502 = -1.36570; p = 0.172034.
        MannWhitney.Result r = MannWhitney.test(new double[] {1, 2, 2, 3}, new double[] {2, 3, 3, 4});

        assertThat(r.u()).isEqualTo(3);
        assertThat(r.z()).isCloseTo(-1.36570, offset(1e-5));
        assertThat(r.pValue()).isCloseTo(0.172034, offset(1e-6));
    }

    @Test
    void aSlowerSeriesOfLatenciesIsSignificantlyHigher() {
        // Ten per-interval p99s (ms) of a canary against ten of its baseline. The canary's 305 is
        // above 8 baseline values, ties 305 and is below 310 (8.5); its 310 is above 9 and ties
        // one (9.5); its other eight are above all ten (80): U = 98 of 100. scipy: p = 0.000326434.
        double[] canary = {310, 330, 305, 350, 342, 333, 360, 318, 329, 345};
        double[] baseline = {300, 298, 305, 290, 310, 302, 296, 301, 299, 304};

        MannWhitney.Result r = MannWhitney.test(canary, baseline);

        assertThat(r.u()).isEqualTo(98);
        assertThat(r.pValue()).isCloseTo(0.000326434, offset(1e-7));
        assertThat(r.firstHigher()).isTrue();
    }

    @Test
    void identicalValuesHaveNoEvidenceEitherWay() {
        MannWhitney.Result r = MannWhitney.test(new double[] {5, 5, 5}, new double[] {5, 5});

        assertThat(r.u()).isEqualTo(3);
        assertThat(r.z()).isZero();
        assertThat(r.pValue()).isEqualTo(1);
    }

    @Test
    void theSameSampleOnBothSidesIsNotSignificant() {
        double[] v = {12, 15, 11, 19, 14, 13, 16, 18};

        MannWhitney.Result r = MannWhitney.test(v, v.clone());

        assertThat(r.u()).isEqualTo(32);
        assertThat(r.pValue()).isEqualTo(1);
    }

    @Test
    void theNormalTailMatchesTheTable() {
        assertThat(MannWhitney.upperTail(0)).isCloseTo(0.5, offset(1e-7));
        assertThat(MannWhitney.upperTail(1.96)).isCloseTo(0.0249979, offset(1e-7));
        assertThat(MannWhitney.upperTail(3)).isCloseTo(0.0013499, offset(1e-7));
        assertThat(MannWhitney.upperTail(-1.96)).isCloseTo(0.9750021, offset(1e-7));
    }

    @Test
    void medians() {
        assertThat(MannWhitney.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(MannWhitney.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(MannWhitney.median(new double[0])).isNaN();
    }

    @Test
    void emptyOrNaNSamplesAreRefused() {
        assertThatThrownBy(() -> MannWhitney.test(new double[0], new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MannWhitney.test(new double[] {Double.NaN}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
