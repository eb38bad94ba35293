package io.remit.registry.config;

import io.remit.registry.etcd.Keys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A feature flag, stored as JSON under {@code /remit/flags/<name>}, e.g.
 * {@code {"enabled":true,"params":{"schools":["s1"]}}}. {@code enabled} is required; {@code params}
 * is optional free-form JSON (objects become maps, arrays lists); other fields are ignored.
 *
 * @param name    the flag's key segment
 * @param enabled whether it is on
 * @param params  parameters, immutable (nested maps and lists too)
 */
public record Flag(String name, boolean enabled, Map<String, Object> params) {

    public Flag {
        Keys.segment("flag", name);
        params = params == null ? Map.of() : immutableMap(params);
    }

    public Optional<Object> param(String key) {
        return Optional.ofNullable(params.get(key));
    }

    /**
     * A parameter as a list of strings: a JSON array's string elements, or a single string as a
     * one-element list; empty when absent or of another type. E.g. {@code strings("schools")}.
     */
    public List<String> strings(String key) {
        Object value = params.get(key);
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }

    /** Enabled, and the list parameter {@code key} contains {@code value}: a per-tenant rollout check. */
    public boolean enabledFor(String key, String value) {
        return enabled && strings(key).contains(value);
    }

    private static Map<String, Object> immutableMap(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), immutable(v)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object immutable(Object value) {
        if (value instanceof Map<?, ?> m) {
            return immutableMap(m);
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(immutable(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
