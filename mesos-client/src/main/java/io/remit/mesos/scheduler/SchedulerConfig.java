package io.remit.mesos.scheduler;

import io.remit.mesos.MediaType;
import io.remit.mesos.recordio.RecordIO;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.mesos.v1.Protos.FrameworkInfo;

/**
 * What a {@link SchedulerClient} needs to know. Immutable; build it with {@link #builder} and
 * every invalid setting is reported at once by {@link Builder#build()}.
 *
 * @param masters base URIs of the masters, e.g. {@code http://10.0.0.1:5050}; {@code /api/v1/scheduler}
 *     is appended to each one's path. Tried in order; a redirect names the leader.
 * @param frameworkInfo what SUBSCRIBE sends; with an id, the first SUBSCRIBE is a failover
 * @param mediaType the body encoding of calls and events
 * @param maxRecordBytes the largest event accepted from the stream
 * @param backoffMin ceiling of the first resubscribe delay (see {@link io.remit.mesos.http.Backoff})
 * @param backoffMax cap of the resubscribe delay
 * @param heartbeatMisses after this many heartbeat intervals without any event, the stream is dead
 * @param headers extra headers on every request, e.g. {@code Authorization}
 * @param requestTimeout how long to wait to connect and for response headers
 * @param nanoTime the heartbeat watchdog's time source, monotonic nanoseconds ({@link System#nanoTime}
 *     by default): never a wall clock, which an NTP step can move by more than the watchdog's limit
 */
public record SchedulerConfig(
        List<URI> masters,
        FrameworkInfo frameworkInfo,
        MediaType mediaType,
        int maxRecordBytes,
        Duration backoffMin,
        Duration backoffMax,
        int heartbeatMisses,
        Map<String, String> headers,
        Duration requestTimeout,
        LongSupplier nanoTime) {

    private static final Set<String> RESERVED_HEADERS =
            Set.of("content-type", "accept", "mesos-stream-id", "content-length", "host", "connection");

    public SchedulerConfig {
        masters = List.copyOf(masters);
        headers = Map.copyOf(headers);
        List<String> errors = validate(masters, frameworkInfo, mediaType, maxRecordBytes, backoffMin, backoffMax,
                heartbeatMisses, headers, requestTimeout, nanoTime);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid scheduler config: " + String.join("; ", errors));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The SUBSCRIBE/call endpoint of each master, in order. */
    public List<URI> endpoints() {
        return masters.stream().map(SchedulerConfig::endpoint).toList();
    }

    static URI endpoint(URI master) {
        String path = master.getPath() == null ? "" : master.getPath();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(master.getScheme() + "://" + master.getRawAuthority() + path + "/api/v1/scheduler");
    }

    private static List<String> validate(List<URI> masters, FrameworkInfo frameworkInfo, MediaType mediaType,
            int maxRecordBytes, Duration backoffMin, Duration backoffMax, int heartbeatMisses,
            Map<String, String> headers, Duration requestTimeout, LongSupplier nanoTime) {
        List<String> errors = new ArrayList<>();
        if (masters.isEmpty()) {
            errors.add("masters must name at least one master");
        }
        for (URI m : masters) {
            if (!"http".equals(m.getScheme()) && !"https".equals(m.getScheme()) || m.getHost() == null) {
                errors.add("master " + m + " is not an http(s)://host:port URI");
            }
        }
        if (frameworkInfo == null) {
            errors.add("frameworkInfo is required");
        } else if (!frameworkInfo.isInitialized()) {
            errors.add("frameworkInfo lacks " + String.join(", ", frameworkInfo.findInitializationErrors()));
        }
        if (mediaType == null) {
            errors.add("mediaType is required");
        }
        if (maxRecordBytes <= 0) {
            errors.add("maxRecordBytes must be positive, was " + maxRecordBytes);
        }
        if (backoffMin == null || backoffMin.isNegative() || backoffMin.isZero()) {
            errors.add("backoffMin must be positive, was " + backoffMin);
        } else if (backoffMax == null || backoffMax.compareTo(backoffMin) < 0) {
            errors.add("backoffMax must be at least backoffMin, was " + backoffMax);
        }
        if (heartbeatMisses < 1) {
            errors.add("heartbeatMisses must be at least 1, was " + heartbeatMisses);
        }
        for (String name : headers.keySet()) {
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                errors.add("header " + name + " is set by the client itself");
            }
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            errors.add("requestTimeout must be positive, was " + requestTimeout);
        }
        if (nanoTime == null) {
            errors.add("nanoTime is required");
        }
        return errors;
    }

    /** Mutable builder with the defaults named on each setter. Not thread-safe. */
    public static final class Builder {
        private final List<URI> masters = new ArrayList<>();
        private FrameworkInfo frameworkInfo;
        private MediaType mediaType = MediaType.PROTOBUF;
        private int maxRecordBytes = RecordIO.DEFAULT_MAX_RECORD_BYTES;
        private Duration backoffMin = Duration.ofMillis(500);
        private Duration backoffMax = Duration.ofSeconds(30);
        private int heartbeatMisses = 5;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Duration requestTimeout = Duration.ofSeconds(30);
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {
        }

        /** Adds a master, e.g. {@code http://127.0.0.1:5050}. */
        public Builder master(URI master) {
            masters.add(master);
            return this;
        }

        public Builder master(String master) {
            return master(URI.create(master));
        }

        public Builder masters(List<URI> all) {
            masters.addAll(all);
            return this;
        }

        public Builder frameworkInfo(FrameworkInfo value) {
            frameworkInfo = value;
            return this;
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

        /** Default 500 ms and 30 s. */
        public Builder backoff(Duration min, Duration max) {
            backoffMin = min;
            backoffMax = max;
            return this;
        }

        /** Default 5. */
        public Builder heartbeatMisses(int value) {
            heartbeatMisses = value;
            return this;
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Default 30 s. */
        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        /** Monotonic nanoseconds for the heartbeat watchdog. Default {@link System#nanoTime}. */
        public Builder nanoTime(LongSupplier value) {
            nanoTime = value;
            return this;
        }

        public SchedulerConfig build() {
            return new SchedulerConfig(masters, frameworkInfo, mediaType, maxRecordBytes, backoffMin, backoffMax,
                    heartbeatMisses, headers, requestTimeout, nanoTime);
        }
    }
}
