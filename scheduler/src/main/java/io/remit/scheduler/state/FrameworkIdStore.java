package io.remit.scheduler.state;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.KeyValues;
import io.remit.registry.etcd.Keys;
import java.util.Optional;

/**
 * The Mesos FrameworkID at {@code /remit/scheduler/framework-id}, so that a successor scheduler
 * subscribes as the same framework and keeps its tasks. Thread-safe; each call is one etcd round
 * trip and throws a {@link io.remit.registry.etcd.RegistryException} when etcd fails.
 */
public final class FrameworkIdStore {

    private final KeyValues kv;

    public FrameworkIdStore(Etcd etcd) {
        this.kv = new KeyValues(etcd);
    }

    /** The stored id; empty when none was stored (or a blank one). */
    public Optional<String> get() {
        return kv.get(Keys.FRAMEWORK_ID).map(v -> v.string()).filter(s -> !s.isBlank());
    }

    /** Stores the id, unless it is the one stored already. */
    public void put(String frameworkId) {
        if (!frameworkId.equals(get().orElse(""))) {
            kv.put(Keys.FRAMEWORK_ID, frameworkId);
        }
    }
}
