package io.remit.scheduler.release.analysis;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What one cohort's instances served over the window, per endpoint, and the values of the
 * analysis's own metrics. Read by {@link CohortReader}; judged by {@link Judgement}.
 *
 * @param endpoints per endpoint, its traffic
 * @param metrics per metric named under {@code metrics}, its values over the window
 */
record CohortMetrics(SortedMap<Endpoint, Traffic> endpoints, Map<String, MetricValues> metrics) {

    /** All endpoints together. */
    Traffic overall() {
        Traffic all = Traffic.NONE;
        for (Traffic t : endpoints.values()) {
            all = all.plus(t);
        }
        return all;
    }

    Traffic endpoint(Endpoint e) {
        return endpoints.getOrDefault(e, Traffic.NONE);
    }

    /**
     * An extra metric's values, one per interval; or why there are none to judge ({@code problem}:
     * the query failed, selected nothing, or more than one series).
     */
    record MetricValues(List<Double> values, String problem) {

        static MetricValues of(List<Double> values) {
            return new MetricValues(List.copyOf(values), null);
        }

        static MetricValues problem(String problem) {
            return new MetricValues(List.of(), problem);
        }
    }
}
