package io.remit.kit;

import io.remit.registry.FeatureFlags;
import io.remit.registry.Flag;
import io.remit.registry.FlagListener;
import java.util.Map;
import java.util.Optional;

/**
 * Feature flags shared by all services ({@code /remit/flags/<name>}, JSON such as
 * {@code {"enabled": true, "params": {...}}}), watched; each change is logged. Without etcd, or
 * when a flag is absent, a flag is off.
 */
public final class Flags {

    private final FeatureFlags flags;

    private Flags(FeatureFlags flags) {
        this.flags = flags;
    }

    public static Flags none() {
        return new Flags(null);
    }

    public static Flags of(FeatureFlags flags) {
        return new Flags(flags);
    }

    public boolean isEnabled(String name) {
        return flags != null && flags.isEnabled(name);
    }

    public Optional<Flag> flag(String name) {
        return flags == null ? Optional.empty() : flags.flag(name);
    }

    public Map<String, Flag> all() {
        return flags == null ? Map.of() : flags.flags();
    }

    /** Hears later changes; nothing ever changes without etcd. */
    public void subscribe(FlagListener listener) {
        if (flags != null) {
            flags.subscribe(listener);
        }
    }
}
