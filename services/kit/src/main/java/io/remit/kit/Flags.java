package io.remit.kit;

import io.remit.registry.config.FeatureFlags;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Feature flags shared by all services ({@code /remit/flags/<name>}, JSON such as
 * {@code {"enabled": true, "params": {...}}}), watched; each change is logged. Without etcd, or
 * when a flag is absent, a flag is off.
 */
public final class Flags {

    /**
     * Hears flag changes: a flag added ({@code before} empty), changed, or removed ({@code after}
     * empty). Called on the flags' listener thread, one call at a time, in order.
     */
    @FunctionalInterface
    public interface Listener {
        void changed(String name, Optional<Flag> before, Optional<Flag> after);
    }

    private final FeatureFlags flags;

    private Flags(FeatureFlags flags) {
        this.flags = flags;
    }

    public static Flags none() {
        return new Flags(null);
    }

    static Flags of(FeatureFlags flags) {
        return new Flags(flags);
    }

    public boolean isEnabled(String name) {
        return flags != null && flags.isEnabled(name);
    }

    public Optional<Flag> flag(String name) {
        return flags == null ? Optional.empty() : flags.flag(name).map(Flag::new);
    }

    /** Every flag by name; immutable. */
    public Map<String, Flag> all() {
        if (flags == null) {
            return Map.of();
        }
        Map<String, Flag> all = new LinkedHashMap<>();
        flags.flags().forEach((name, flag) -> all.put(name, new Flag(flag)));
        return Collections.unmodifiableMap(all);
    }

    /** Hears later changes; nothing ever changes without etcd. */
    public void subscribe(Listener listener) {
        if (flags != null) {
            flags.subscribe((name, before, after) -> listener.changed(name, before.map(Flag::new), after.map(Flag::new)));
        }
    }
}
