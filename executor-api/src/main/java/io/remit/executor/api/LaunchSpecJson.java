package io.remit.executor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

/** The JSON mapping of {@link LaunchSpec}; thread-safe. */
final class LaunchSpecJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private LaunchSpecJson() {
    }

    static LaunchSpec read(byte[] json) {
        if (json == null || json.length == 0) {
            throw new InvalidLaunchSpecException(List.of("TaskInfo.data is empty; it must hold the launch spec JSON"));
        }
        try {
            LaunchSpec spec = MAPPER.readValue(json, LaunchSpec.class);
            if (spec == null) {
                throw new InvalidLaunchSpecException(List.of("the launch spec JSON is null"));
            }
            return spec;
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new InvalidLaunchSpecException(List.of((path.isEmpty() ? "" : path + ": ") + e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new InvalidLaunchSpecException(List.of("not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] write(LaunchSpec spec) {
        try {
            return MAPPER.writeValueAsBytes(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a launch spec as JSON", e);
        }
    }
}
