package io.remit.kit.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/**
 * How a service calls one dependency: where it is, per-attempt timeout, retries and their budget,
 * circuit breaker, bulkhead and mock mode. Every field has a default that suits a payments
 * service calling a peer on the same network.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class DependencySettings {

    /** Fixed base URLs (e.g. {@code http://127.0.0.1:9001}); when set, discovery is not used. */
    @JsonProperty public List<String> urls = new ArrayList<>();

    /** The named port of a discovered instance to call. */
    @JsonProperty @NotNull public String port = "http";

    /** Time allowed for one attempt, connect and response. */
    @JsonProperty @NotNull public Duration timeout = Duration.seconds(2);

    /** Attempts per call, the first included; retries happen only for retry-safe calls. */
    @JsonProperty @Min(1) @Max(10) public int maxAttempts = 3;

    /** First retry waits up to this long (full jitter), doubling each retry. */
    @JsonProperty @NotNull public Duration backoffBase = Duration.milliseconds(25);

    /** Cap on one retry's wait. */
    @JsonProperty @NotNull public Duration backoffMax = Duration.milliseconds(500);

    /** Retries may add at most this fraction of the calls made (the retry budget). */
    @JsonProperty @DecimalMin("0.0") @DecimalMax("1.0") public double retryRatio = 0.2;

    /** Retries allowed per second regardless of traffic, so a quiet client can still retry. */
    @JsonProperty @Min(0) public int minRetriesPerSecond = 5;

    /** Calls in flight at once to this dependency (the bulkhead); more are refused at once. */
    @JsonProperty @Min(1) public int maxConcurrentCalls = 64;

    @JsonProperty @Valid @NotNull public Breaker breaker = new Breaker();

    @JsonProperty @Valid @NotNull public Mock mock = new Mock();

    /** The circuit breaker (resilience4j) of this dependency. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public static class Breaker {
        /** Failure percentage over the window that opens the breaker. */
        @JsonProperty @DecimalMin("1") @DecimalMax("100") public float failureRateThreshold = 50;
        /** Calls in the sliding window. */
        @JsonProperty @Min(1) public int slidingWindowSize = 20;
        /** Calls needed before the failure rate counts. */
        @JsonProperty @Min(1) public int minimumCalls = 5;
        /** How long the breaker stays open before letting trial calls through. */
        @JsonProperty @NotNull public Duration openFor = Duration.seconds(3);
        /** Trial calls in the half-open state. */
        @JsonProperty @Min(1) public int halfOpenCalls = 2;
    }

    /**
     * Consumer mock mode: {@code record} saves each real response of this dependency under
     * {@code dir}; {@code replay} answers from those files (matched on method, path and body)
     * without calling the dependency at all.
     */
    @JsonIgnoreProperties(ignoreUnknown = false)
    public static class Mock {
        public enum Mode { off, record, replay }

        @JsonProperty @NotNull public Mode mode = Mode.off;
        /** Folder of recordings, one JSON file per distinct request. */
        @JsonProperty public String dir = "";
    }
}
