package io.remit.kit;

import io.remit.registry.config.ConfigOverlay;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A service's runtime configuration from etcd ({@code /remit/config/<service>/}), watched: read a
 * value at the moment it is used and a change applies without a restart. Every change is logged.
 * Without etcd every read yields its default.
 */
public final class RuntimeConfig {

    private final ConfigOverlay overlay;

    RuntimeConfig(ConfigOverlay overlay) {
        this.overlay = overlay;
    }

    /** A config with no etcd behind it: every read yields its default. */
    public static RuntimeConfig none() {
        return new RuntimeConfig(null);
    }

    static RuntimeConfig of(ConfigOverlay overlay) {
        return new RuntimeConfig(overlay);
    }

    /**
     * Waits until the overlay has been read from etcd (true at once without etcd); false after
     * {@code timeout}. A service whose start depends on a runtime value (e.g. its database) should
     * refuse to start rather than go on with a default.
     */
    public boolean awaitLoaded(Duration timeout) {
        return overlay == null || overlay.awaitReady(timeout);
    }

    public Optional<String> get(String key) {
        return overlay == null ? Optional.empty() : overlay.get(key);
    }

    public Map<String, String> values() {
        return overlay == null ? Map.of() : overlay.values();
    }

    public String getString(String key, String defaultValue) {
        return overlay == null ? defaultValue : overlay.getString(key, defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        return overlay == null ? defaultValue : overlay.getInt(key, defaultValue);
    }

    public long getLong(String key, long defaultValue) {
        return overlay == null ? defaultValue : overlay.getLong(key, defaultValue);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return overlay == null ? defaultValue : overlay.getBoolean(key, defaultValue);
    }

    public Duration getDuration(String key, Duration defaultValue) {
        return overlay == null ? defaultValue : overlay.getDuration(key, defaultValue);
    }

    /** Calls {@code callback} with the current value and on each change (never, without etcd, after one empty call). */
    public void watch(String key, Consumer<Optional<String>> callback) {
        if (overlay == null) {
            callback.accept(Optional.empty());
        } else {
            overlay.watch(key, callback);
        }
    }
}
