package io.remit.registry.config;

import java.util.Optional;

/**
 * Hears feature flag changes: a flag added ({@code before} empty), changed, or removed
 * ({@code after} empty). Called on the flags' listener thread, one call at a time, in order.
 */
@FunctionalInterface
public interface FlagListener {

    void changed(String name, Optional<Flag> before, Optional<Flag> after);
}
