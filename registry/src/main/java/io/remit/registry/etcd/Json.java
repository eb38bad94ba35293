package io.remit.registry.etcd;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.remit.registry.discovery.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON mapping of what Remit stores in etcd: this package's values and the scheduler's
 * (specs, tasks). Java time as ISO-8601 text, offsets kept as written, unknown fields ignored (a
 * newer writer's fields do not break an older reader). Thread-safe; do not reconfigure it.
 */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Reads an {@link Instance}; a malformed document or an invalid instance throws. */
    public static Instance instance(byte[] json) throws IOException {
        return MAPPER.readValue(json, Instance.class);
    }
}
