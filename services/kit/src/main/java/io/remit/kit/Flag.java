package io.remit.kit;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A feature flag as a service reads it: {@code /remit/flags/<name>} holding
 * {@code {"enabled": true, "params": {"schools": ["s1"]}}}. Immutable; parameters are free-form
 * JSON (objects as maps, arrays as lists).
 */
public final class Flag {

    private final io.remit.registry.config.Flag flag;

    Flag(io.remit.registry.config.Flag flag) {
        this.flag = flag;
    }

    public String name() {
        return flag.name();
    }

    public boolean enabled() {
        return flag.enabled();
    }

    /** Every parameter, immutable (nested maps and lists too). */
    public Map<String, Object> params() {
        return flag.params();
    }

    public Optional<Object> param(String key) {
        return flag.param(key);
    }

    /**
     * A parameter as a list of strings: a JSON array's string elements, or a single string as a
     * one-element list; empty when absent or of another type. E.g. {@code strings("schools")}.
     */
    public List<String> strings(String key) {
        return flag.strings(key);
    }

    /** Enabled, and the list parameter {@code key} contains {@code value}: a per-tenant rollout check. */
    public boolean enabledFor(String key, String value) {
        return flag.enabledFor(key, value);
    }

    /**
     * Enabled, and the list parameter {@code key} either contains {@code value} or names nothing
     * (then the flag applies to every value): {@code appliesTo("schools", "mit")} is true for
     * {@code {"enabled": true}} and for {@code {"enabled": true, "params": {"schools": ["mit"]}}}.
     */
    public boolean appliesTo(String key, String value) {
        List<String> values = strings(key);
        return enabled() && (values.isEmpty() || values.contains(value));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Flag other && flag.equals(other.flag);
    }

    @Override
    public int hashCode() {
        return flag.hashCode();
    }

    @Override
    public String toString() {
        return flag.toString();
    }
}
