package io.remit.kit.http;

import io.remit.http.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem of a request so it can be answered at once:
 * {@code problems.check(amount > 0, "amount", "must be positive"); problems.throwIfAny();}.
 */
public final class Problems {

    private final List<Problem> found = new ArrayList<>();

    public Problems add(String field, String reason) {
        found.add(new Problem(field, reason));
        return this;
    }

    /** Adds the problem when {@code ok} is false; returns {@code ok}. */
    public boolean check(boolean ok, String field, String reason) {
        if (!ok) {
            add(field, reason);
        }
        return ok;
    }

    /** Adds "is required" when {@code value} is null or blank; returns whether it was present. */
    public boolean require(Object value, String field) {
        boolean present = value != null && !(value instanceof String s && s.isBlank());
        return check(present, field, "is required");
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<Problem> list() {
        return List.copyOf(found);
    }

    /** Throws a 422 {@link ApiException} listing every problem, if there is any. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw ApiException.invalid(list());
        }
    }
}
