package io.remit.scheduler.marathon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The problems of one Marathon app definition, by field path ({@code /healthChecks/0/portIndex}),
 * in the order found; answered as Marathon's error shape
 * {@code {"message": ..., "details": [{"path": ..., "errors": [...]}]}}. Not thread-safe.
 */
public final class AppProblems {

    /** One field's problems, as in Marathon's {@code details}. */
    public record Detail(String path, List<String> errors) {}

    private final Map<String, List<String>> byPath = new LinkedHashMap<>();

    /** Adds a problem; the same problem at the same path again is listed once. */
    public void add(String path, String error) {
        List<String> errors = byPath.computeIfAbsent(path.isEmpty() ? "/" : path, p -> new ArrayList<>());
        if (!errors.contains(error)) {
            errors.add(error);
        }
    }

    /** The paths that have a problem so far. */
    public Set<String> paths() {
        return Set.copyOf(byPath.keySet());
    }

    public boolean isEmpty() {
        return byPath.isEmpty();
    }

    public int size() {
        return byPath.values().stream().mapToInt(List::size).sum();
    }

    public List<Detail> details() {
        List<Detail> out = new ArrayList<>();
        byPath.forEach((p, e) -> out.add(new Detail(p, List.copyOf(e))));
        return out;
    }

    /** Every problem as {@code path: error}, for tests and logs. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        byPath.forEach((p, errors) -> errors.forEach(e -> out.add(p + ": " + e)));
        return out;
    }
}
