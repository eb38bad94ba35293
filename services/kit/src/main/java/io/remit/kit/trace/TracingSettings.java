package io.remit.kit.trace;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;

/**
 * The {@code tracing:} block of a service's configuration: where spans go and how many traces
 * this service starts are sampled. Both are only defaults: the keys {@code tracing.zipkinUrl} and
 * {@code tracing.sampleRate} of the service's runtime config in etcd
 * ({@code /remit/config/<service>/}) win over them, and a change there applies without a restart.
 *
 * <pre>{@code
 * tracing:
 *   zipkinUrl: http://127.0.0.1:9411   # empty: no span is reported (ids are still made and passed on)
 *   sampleRate: 1.0                    # 0.0 to 1.0, of the traces this service starts
 * }</pre>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class TracingSettings {

    /** The runtime config key of the Zipkin base URL. */
    public static final String ZIPKIN_URL_KEY = "tracing.zipkinUrl";
    /** The runtime config key of the sample rate. */
    public static final String SAMPLE_RATE_KEY = "tracing.sampleRate";

    @JsonProperty
    public String zipkinUrl = "";

    @JsonProperty
    @DecimalMin("0.0")
    @DecimalMax("1.0")
    public double sampleRate = 1.0;
}
