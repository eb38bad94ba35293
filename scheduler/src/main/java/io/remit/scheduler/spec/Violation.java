package io.remit.scheduler.spec;

import io.remit.http.ErrorDetail;
import java.util.Objects;

/**
 * One problem with a spec: the field it concerns and what is wrong with it.
 *
 * @param path JSON-pointer-like field path such as {@code resources.memMb}, {@code constraints[1]}
 *     or {@code env.DB_PASSWORD.secret}; empty for the document as a whole
 * @param message what is wrong, for a human (no stack traces, no Java type names)
 */
public record Violation(String path, String message) implements ErrorDetail {

    /** {@code detail} as a {@link Violation} (itself when it is one). */
    public static Violation of(ErrorDetail detail) {
        return detail instanceof Violation v ? v : new Violation(detail.path(), detail.message());
    }

    public Violation {
        path = path == null ? "" : path;
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path.isEmpty() ? message : path + ": " + message;
    }
}
