package io.remit.registry.config;

import io.remit.registry.etcd.DurationText;
import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.Keys;
import io.remit.registry.etcd.MapDiff;
import io.remit.registry.etcd.PrefixCache;
import io.remit.registry.etcd.Subscription;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's runtime configuration overlay, watched under {@code /remit/config/<service>/}: keys
 * after that prefix (e.g. {@code fx/feePercent}) map to UTF-8 string values, read through typed
 * accessors with a default. Each change is logged.
 *
 * <p>A value that does not parse as the asked type yields the default and a warning (once per key
 * and value), never an exception on the request path. Reads are non-blocking and thread-safe;
 * {@link #watch} callbacks run on one listener thread, in order.
 */
public final class ConfigOverlay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigOverlay.class);

    private final String service;
    private final PrefixCache<String> cache;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public ConfigOverlay(Etcd etcd, String service) {
        this.service = Keys.segment("service", service);
        this.cache = new PrefixCache<>(etcd, Keys.configPrefix(service), (key, value) -> Etcd.utf8(value));
        AtomicReference<Map<String, String>> previous = new AtomicReference<>();
        cache.subscribe(snapshot -> {
            Map<String, String> before = previous.getAndSet(snapshot);
            if (before == null) {
                LOG.info("config overlay of {}: {} keys at revision {}", service, snapshot.size(), cache.revision());
                return;
            }
            MapDiff.visit(before, snapshot, (key, b, a) -> LOG.info("config {}: {} {} -> {}", service, key,
                    b.orElse("(absent)"), a.orElse("(absent)")));
        });
    }

    /** Starts watching; returns at once. */
    public ConfigOverlay start() {
        cache.start();
        return this;
    }

    public boolean awaitReady(Duration timeout) {
        return cache.awaitReady(timeout);
    }

    public Optional<String> get(String key) {
        return cache.get(key);
    }

    /** All keys and values; immutable. */
    public Map<String, String> values() {
        return cache.snapshot();
    }

    public String getString(String key, String defaultValue) {
        return get(key).orElse(defaultValue);
    }

    public int getInt(String key, int defaultValue) {
        return typed(key, "an int", s -> Integer.parseInt(s.strip()), defaultValue);
    }

    public long getLong(String key, long defaultValue) {
        return typed(key, "a long", s -> Long.parseLong(s.strip()), defaultValue);
    }

    /** {@code true} or {@code false}, any case; anything else yields the default. */
    public boolean getBoolean(String key, boolean defaultValue) {
        return typed(key, "a boolean", ConfigOverlay::parseBoolean, defaultValue);
    }

    /** ISO-8601 ({@code PT5S}) or amount and unit ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}). */
    public Duration getDuration(String key, Duration defaultValue) {
        return typed(key, "a duration", DurationText::parse, defaultValue);
    }

    /**
     * Calls {@code callback} with the key's current value (empty when absent) once the overlay is
     * loaded, and again each time the value changes; on the listener thread.
     */
    public Subscription watch(String key, Consumer<Optional<String>> callback) {
        AtomicBoolean first = new AtomicBoolean(true);
        AtomicReference<String> last = new AtomicReference<>();
        return cache.subscribe(snapshot -> {
            String now = snapshot.get(key);
            if (first.getAndSet(false) || !Objects.equals(last.get(), now)) {
                last.set(now);
                callback.accept(Optional.ofNullable(now));
            }
        });
    }

    public String service() {
        return service;
    }

    @Override
    public void close() {
        cache.close();
    }

    private <T> T typed(String key, String type, Function<String, T> parse, T defaultValue) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return parse.apply(raw.get());
        } catch (RuntimeException e) {
            if (warned.add(key + "\u0000" + raw.get())) {
                LOG.warn("config {}: {} = '{}' is not {}; using the default {}", service, key, raw.get(), type,
                        defaultValue);
            }
            return defaultValue;
        }
    }

    private static boolean parseBoolean(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        throw new IllegalArgumentException(s);
    }
}
