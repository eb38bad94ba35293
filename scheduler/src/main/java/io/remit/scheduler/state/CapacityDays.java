package io.remit.scheduler.state;

import io.remit.registry.etcd.Etcd;
import io.remit.registry.etcd.KeyValue;
import io.remit.registry.etcd.KeyValues;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The capacity history's storage: one text value per UTC day at
 * {@code /remit/capacity/history/<yyyy-mm-dd>}, changed only by compare-and-set so that two
 * writers never lose each other's lines. Thread-safe; each call is one etcd round trip.
 */
public final class CapacityDays {

    public static final String PREFIX = "/remit/capacity/history/";

    private final KeyValues kv;

    public CapacityDays(Etcd etcd) {
        this.kv = new KeyValues(etcd);
    }

    /** A day's text with the revision that last changed it. */
    public record Day(LocalDate day, String text, long modRevision) {
    }

    public Optional<Day> get(LocalDate day) {
        return kv.get(PREFIX + day).map(v -> new Day(day, new String(v.value(), StandardCharsets.UTF_8), v.modRevision()));
    }

    /** Stores the day's first text; false when the day has one already. */
    public boolean create(LocalDate day, String text) {
        return kv.putIfAbsent(PREFIX + day, text);
    }

    /** Replaces the day's text if it is still at {@code modRevision}; false when it changed meanwhile. */
    public boolean replace(LocalDate day, long modRevision, String text) {
        return kv.compareAndSet(PREFIX + day, modRevision, text);
    }

    /** The days stored, in key order; keys that are not days are left out. */
    public List<LocalDate> days() {
        List<LocalDate> out = new ArrayList<>();
        for (KeyValue v : kv.list(PREFIX)) {
            try {
                out.add(LocalDate.parse(v.key().substring(PREFIX.length())));
            } catch (DateTimeParseException e) {
                // not ours
            }
        }
        return out;
    }

    public void delete(LocalDate day) {
        kv.delete(PREFIX + day);
    }
}
