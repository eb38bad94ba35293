package io.remit.registry.etcd;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/** The keys whose values differ between two snapshots, in key order. */
public final class MapDiff {

    public interface Visitor<T> {
        void changed(String key, Optional<T> before, Optional<T> after);
    }

    private MapDiff() {
    }

    public static <T> void visit(Map<String, T> before, Map<String, T> after, Visitor<T> visitor) {
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            T b = before.get(key);
            T a = after.get(key);
            if (!Objects.equals(a, b)) {
                visitor.changed(key, Optional.ofNullable(b), Optional.ofNullable(a));
            }
        }
    }
}
