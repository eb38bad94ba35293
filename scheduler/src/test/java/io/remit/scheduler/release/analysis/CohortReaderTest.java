package io.remit.scheduler.release.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The PromQL the analysis asks, and the arithmetic on what comes back. */
class CohortReaderTest {

    @Test
    void aCohortIsSelectedByServiceAndEachInstanceLiterally() {
        Cohorts c = new Cohorts("payments", Set.of("payments.7f3a-1"), new LinkedHashSet<>(List.of("pay(1)", "a|b", "x\"y\\z")));

        assertThat(c.baselineMatchers()).isEqualTo("service=\"payments\",instance=~\"payments\\\\.7f3a-1\"");
        assertThat(c.canaryMatchers()).isEqualTo("service=\"payments\",instance=~\"a\\\\|b|pay\\\\(1\\\\)|x\\\"y\\\\\\\\z\"");
        assertThat(Cohorts.literalRegex("a.b*c+d?e^f$g[h]i{j}k\\l")).isEqualTo("a\\.b\\*c\\+d\\?e\\^f\\$g\\[h\\]i\\{j\\}k\\\\l");
        assertThat("pay(1)").matches(Cohorts.literalRegex("pay(1)"));
        assertThat("payments.11a").doesNotMatch(Cohorts.literalRegex("payments.1+a"));
    }

    @Test
    void theSelectorGoesWhereTheQuerySaysInOrOutOfBraces() {
        String m = "service=\"payments\",instance=~\"p\\\\.1\"";

        assertThat(CohortReader.withSelector("sum(rate(jvm_gc_collection_seconds_sum{{selector}}[1m]))", m))
                .isEqualTo("sum(rate(jvm_gc_collection_seconds_sum{" + m + "}[1m]))");
        assertThat(CohortReader.withSelector("sum(rate(x{status=~\"5..\",{{selector}}}[1m])) / sum(rate(x{ {{selector}} }[1m]))", m))
                .isEqualTo("sum(rate(x{status=~\"5..\"," + m + "}[1m])) / sum(rate(x{ " + m + " }[1m]))");
        assertThat(CohortReader.withSelector("max(q{{{selector}}})", m)).isEqualTo("max(q{" + m + "})");
    }

    @Test
    void rangesAreWholeSeconds() {
        assertThat(CohortReader.seconds(Duration.ofMinutes(5))).isEqualTo("300s");
        assertThat(CohortReader.seconds(Duration.ofMillis(300_400))).isEqualTo("301s");
        assertThat(CohortReader.seconds(Duration.ofMillis(10))).isEqualTo("1s");
    }

    @Test
    void aServerErrorIsAnyFiveHundred() {
        assertThat(CohortReader.serverError("500")).isTrue();
        assertThat(CohortReader.serverError("503")).isTrue();
        assertThat(CohortReader.serverError("404")).isFalse();
        assertThat(CohortReader.serverError("5")).isFalse();
        assertThat(CohortReader.serverError(null)).isFalse();
    }

    @Test
    void quantilesInterpolateInsideTheirBucketAsPrometheusDoes() {
        // 50 requests up to 100 ms, 40 more up to 200 ms, 10 above.
        LatencyHistogram h = LatencyHistogram.of(Map.of(0.1, 50.0, 0.2, 90.0, Double.POSITIVE_INFINITY, 100.0));

        assertThat(h.count()).isEqualTo(100);
        assertThat(h.quantile(0.25)).isCloseTo(0.05, offset(1e-12)); // rank 25 of the first 50, from 0
        assertThat(h.quantile(0.5)).isCloseTo(0.1, offset(1e-12));
        assertThat(h.quantile(0.7)).isCloseTo(0.15, offset(1e-12)); // rank 70: 20 of the 40 in 100-200 ms
        assertThat(h.quantile(0.9)).isCloseTo(0.2, offset(1e-12));
        assertThat(h.quantile(0.99)).isEqualTo(0.2); // in the +Inf bucket: the highest finite bound
    }

    @Test
    void histogramsAddBucketByBucketAndFixCountsThatDecrease() {
        LatencyHistogram a = LatencyHistogram.of(Map.of(0.1, 10.0, Double.POSITIVE_INFINITY, 10.0));
        LatencyHistogram b = LatencyHistogram.of(Map.of(0.1, 0.0, Double.POSITIVE_INFINITY, 10.0));

        LatencyHistogram both = a.plus(b);

        assertThat(both.count()).isEqualTo(20);
        assertThat(both.quantile(0.5)).isCloseTo(0.1, offset(1e-12));
        assertThat(both.quantile(0.75)).isEqualTo(0.1);
        // increase() can leave a bucket a little below the one before it
        LatencyHistogram skewed = LatencyHistogram.of(Map.of(0.1, 50.0, 0.2, 48.0, Double.POSITIVE_INFINITY, 100.0));
        assertThat(skewed.quantile(0.5)).isCloseTo(0.1, offset(1e-12));
        assertThat(skewed.quantile(0.75)).isEqualTo(0.2);
        assertThat(LatencyHistogram.EMPTY.quantile(0.5)).isNaN();
        assertThat(LatencyHistogram.of(Map.of(0.1, 0.0, Double.POSITIVE_INFINITY, 0.0)).quantile(0.5)).isNaN();
    }

    @Test
    void numbersInWords() {
        assertThat(Words.percent(0.2013)).isEqualTo("20.1%");
        assertThat(Words.percent(0.01)).isEqualTo("1%");
        assertThat(Words.percent(0.0005)).isEqualTo("0.05%");
        assertThat(Words.percent(0)).isEqualTo("0%");
        assertThat(Words.ms(97.5)).isEqualTo("97.5 ms");
        assertThat(Words.ms(1234.4)).isEqualTo("1234 ms");
        assertThat(Words.ratio(1.375)).isEqualTo("1.38x");
        assertThat(Words.p(0.012185)).isEqualTo("= 0.012");
        assertThat(Words.p(0.00001)).isEqualTo("< 0.0001");
    }
}
