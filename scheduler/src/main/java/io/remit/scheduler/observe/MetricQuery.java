package io.remit.scheduler.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where the scheduler reads metrics: the one small interface between what gathers them (a
 * Prometheus server, {@link PrometheusQuery}) and what judges by them (the service page's golden
 * signals, a canary's analysis). Queries are PromQL; implementations answer within a couple of
 * seconds or throw {@link Unavailable}.
 */
public interface MetricQuery {

    /** The value of each series {@code promql} selects at {@code at}. */
    List<Sample> instant(String promql, Instant at) throws Unavailable;

    /** Each series {@code promql} selects, evaluated every {@code step} from {@code from} to {@code to}. */
    List<Series> range(String promql, Instant from, Instant to, Duration step) throws Unavailable;

    /** Where the metrics come from, for messages (e.g. {@code http://127.0.0.1:9090}). */
    String source();

    /** One series' value at one time. {@code value} may be NaN (e.g. a quantile of no requests). */
    record Sample(Map<String, String> labels, Instant at, double value) {
    }

    /** One series over time; points in time order, NaN values left out. */
    record Series(Map<String, String> labels, List<Point> points) {
    }

    record Point(Instant at, double value) {
    }

    /** The metrics source did not answer, or answered with an error; the message says which. */
    final class Unavailable extends Exception {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** No metrics source configured: every query is unavailable, saying so. */
    MetricQuery NONE = new MetricQuery() {
        @Override
        public List<Sample> instant(String promql, Instant at) throws Unavailable {
            throw new Unavailable("no Prometheus is configured (prometheus.url in the scheduler's configuration)", null);
        }

        @Override
        public List<Series> range(String promql, Instant from, Instant to, Duration step) throws Unavailable {
            throw new Unavailable("no Prometheus is configured (prometheus.url in the scheduler's configuration)", null);
        }

        @Override
        public String source() {
            return "none";
        }
    };
}
