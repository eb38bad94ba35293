package io.remit.mesos.executor;

import io.remit.mesos.MediaType;
import io.remit.mesos.recordio.RecordIO;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What an {@link ExecutorClient} needs: the agent's environment plus client settings.
 * Immutable; every invalid setting is reported at once.
 *
 * @param backoffMin ceiling of the first SUBSCRIBE retry delay; later ones double up to
 *     {@link ExecutorEnvironment#subscriptionBackoffMax()}
 * @param headers extra headers on every request; a bearer {@code Authorization} header is added
 *     when the environment has an authentication token
 * @param clock the time source of status update timestamps (a wall clock)
 * @param nanoTime the time source of the recovery timeout, monotonic nanoseconds ({@link System#nanoTime}
 *     by default): never a wall clock, which an NTP step can move by more than the timeout
 */
public record ExecutorConfig(
        ExecutorEnvironment environment,
        MediaType mediaType,
        int maxRecordBytes,
        Duration backoffMin,
        Duration requestTimeout,
        Map<String, String> headers,
        Clock clock,
        LongSupplier nanoTime) {

    public ExecutorConfig {
        Objects.requireNonNull(environment, "environment");
        headers = Map.copyOf(headers);
        List<String> errors = new ArrayList<>();
        if (mediaType == null) {
            errors.add("mediaType is required");
        }
        if (maxRecordBytes <= 0) {
            errors.add("maxRecordBytes must be positive, was " + maxRecordBytes);
        }
        if (backoffMin == null || backoffMin.isNegative() || backoffMin.isZero()) {
            errors.add("backoffMin must be positive, was " + backoffMin);
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            errors.add("requestTimeout must be positive, was " + requestTimeout);
        }
        if (clock == null) {
            errors.add("clock is required");
        }
        if (nanoTime == null) {
            errors.add("nanoTime is required");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid executor config: " + String.join("; ", errors));
        }
    }

    public static Builder builder(ExecutorEnvironment environment) {
        return new Builder(environment);
    }

    /** The headers to send: the configured ones plus the bearer token, if any. */
    Map<String, String> requestHeaders() {
        Map<String, String> all = new LinkedHashMap<>(headers);
        environment.authenticationToken().ifPresent(token -> all.put("Authorization", "Bearer " + token));
        return all;
    }

    /** Mutable builder with the defaults named on each setter. Not thread-safe. */
    public static final class Builder {
        private final ExecutorEnvironment environment;
        private MediaType mediaType = MediaType.PROTOBUF;
        private int maxRecordBytes = RecordIO.DEFAULT_MAX_RECORD_BYTES;
        private Duration backoffMin = Duration.ofMillis(100);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;

        private Builder(ExecutorEnvironment environment) {
            this.environment = environment;
        }

        /** Default {@link MediaType#PROTOBUF}. */
        public Builder mediaType(MediaType value) {
            mediaType = value;
            return this;
        }

        /** Default {@link RecordIO#DEFAULT_MAX_RECORD_BYTES}. */
        public Builder maxRecordBytes(int value) {
            maxRecordBytes = value;
            return this;
        }

        /** Default 100 ms. */
        public Builder backoffMin(Duration value) {
            backoffMin = value;
            return this;
        }

        /** Default 30 s. */
        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        /** Monotonic nanoseconds for the recovery timeout. Default {@link System#nanoTime}. */
        public Builder nanoTime(LongSupplier value) {
            nanoTime = value;
            return this;
        }

        public ExecutorConfig build() {
            return new ExecutorConfig(environment, mediaType, maxRecordBytes, backoffMin, requestTimeout, headers, clock,
                    nanoTime);
        }
    }
}
