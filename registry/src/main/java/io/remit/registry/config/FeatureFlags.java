package io.remit.registry.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.Json;
import io.remit.registry.etcd.Keys;
import io.remit.registry.etcd.MapDiff;
import io.remit.registry.etcd.PrefixCache;
import io.remit.registry.etcd.Subscription;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feature flags shared by every service, watched under {@code /remit/flags/}: one JSON value per
 * flag (see {@link Flag}). A flag that is absent, or whose JSON is invalid (logged and skipped),
 * is off.
 *
 * <p>Reads are non-blocking and thread-safe. {@link FlagListener}s run on one listener thread,
 * in order, only for changes after they subscribed. Same failure contract as
 * {@link PrefixCache}: flags stay readable while etcd is away and catch up when it returns.
 */
public final class FeatureFlags implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureFlags.class);
    private static final TypeReference<Map<String, Object>> PARAMS = new TypeReference<>() { };

    private final PrefixCache<Flag> cache;

    public FeatureFlags(Etcd etcd) {
        this.cache = new PrefixCache<>(etcd, Keys.FLAGS, FeatureFlags::decode);
        subscribe((name, before, after) -> LOG.info("feature flag {}: {} -> {}", name,
                before.map(FeatureFlags::describe).orElse("(absent)"), after.map(FeatureFlags::describe).orElse("(absent)")));
    }

    /** Starts watching; returns at once. */
    public FeatureFlags start() {
        cache.start();
        return this;
    }

    public boolean awaitReady(Duration timeout) {
        return cache.awaitReady(timeout);
    }

    /** Whether {@code name} exists and is enabled. */
    public boolean isEnabled(String name) {
        return flag(name).map(Flag::enabled).orElse(false);
    }

    public Optional<Flag> flag(String name) {
        return cache.get(name);
    }

    /** Every flag by name; immutable. */
    public Map<String, Flag> flags() {
        return cache.snapshot();
    }

    /** Reports each flag change that happens after this call (the first snapshot is not a change). */
    public Subscription subscribe(FlagListener listener) {
        AtomicReference<Map<String, Flag>> previous = new AtomicReference<>();
        return cache.subscribe(snapshot -> {
            Map<String, Flag> before = previous.getAndSet(snapshot);
            if (before != null) {
                MapDiff.visit(before, snapshot, listener::changed);
            }
        });
    }

    @Override
    public void close() {
        cache.close();
    }

    /** Parses a flag document; invalid documents throw. */
    static Flag decode(String name, byte[] json) throws Exception {
        JsonNode node = Json.MAPPER.readTree(json);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a flag must be a JSON object");
        }
        JsonNode enabled = node.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw new IllegalArgumentException("\"enabled\" must be true or false");
        }
        JsonNode params = node.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw new IllegalArgumentException("\"params\" must be a JSON object");
        }
        Map<String, Object> map = params == null || params.isNull() ? Map.of() : Json.MAPPER.convertValue(params, PARAMS);
        return new Flag(name, enabled.booleanValue(), map);
    }

    private static String describe(Flag flag) {
        return (flag.enabled() ? "on" : "off") + (flag.params().isEmpty() ? "" : " " + flag.params());
    }
}
