package io.remit.scheduler.observe;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotNull;

/** The scheduler's {@code zipkin:} settings: the Zipkin server the services report their spans to. */
public class ZipkinSettings {

    /** Zipkin's base URL, e.g. {@code http://127.0.0.1:9411}; empty for none. The UI links to it too. */
    @JsonProperty
    public String url;

    /** How long a call to Zipkin's API may take before the answer is 503. */
    @NotNull
    @JsonProperty
    public Duration timeout = Duration.seconds(3);

    public boolean configured() {
        return url != null && !url.isBlank();
    }

    /** The base URL without a trailing slash; empty when none. */
    public String base() {
        return configured() ? url.strip().replaceAll("/+$", "") : "";
    }
}
