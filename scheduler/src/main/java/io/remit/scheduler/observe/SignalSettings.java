package io.remit.scheduler.observe;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.net.URI;

/** The scheduler's {@code prometheus:} settings. */
public class SignalSettings {

    /** Prometheus's base URL, e.g. {@code http://127.0.0.1:9090}; empty for none. */
    @JsonProperty
    public String url;

    /** How long a query may take before the page says Prometheus is not reachable. */
    @NotNull
    @JsonProperty
    public Duration timeout = Duration.seconds(2);

    /** A service answering more than this share of its requests with 5xx is marked. */
    @DecimalMin("0") @DecimalMax("1")
    @JsonProperty
    public double maxErrorRatio = 0.05;

    /** A service whose p99 latency is above this is marked. */
    @NotNull
    @JsonProperty
    public Duration maxP99 = Duration.seconds(1);

    /** The query to read metrics with: none when no URL is set. */
    public MetricQuery query() {
        if (url == null || url.isBlank()) {
            return MetricQuery.NONE;
        }
        return new PrometheusQuery(URI.create(url.strip()), timeout.toJavaDuration());
    }
}
