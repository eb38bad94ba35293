package io.remit.kit.client;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One request to a dependency: method, path (with its query), optional JSON body and headers.
 * Immutable; the {@code with...} methods return a copy.
 *
 * <p>A call is retried only when it is safe to repeat: GET, HEAD, PUT, DELETE and OPTIONS are
 * idempotent by HTTP's definition, and a POST carrying an {@code Idempotency-Key} is made so by
 * its server.
 */
public final class Call {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final String method;
    private final String path;
    private final Object body;
    private final Map<String, String> headers;

    private Call(String method, String path, Object body, Map<String, String> headers) {
        this.method = method.toUpperCase(Locale.ROOT);
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        this.path = path;
        this.body = body;
        this.headers = Map.copyOf(headers);
    }

    public static Call get(String path) {
        return new Call("GET", path, null, Map.of());
    }

    public static Call post(String path, Object body) {
        return new Call("POST", path, body, Map.of());
    }

    public static Call put(String path, Object body) {
        return new Call("PUT", path, body, Map.of());
    }

    public static Call delete(String path) {
        return new Call("DELETE", path, null, Map.of());
    }

    public static Call of(String method, String path, Object body) {
        return new Call(method, path, body, Map.of());
    }

    public Call withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Call(method, path, body, copy);
    }

    public Call withIdempotencyKey(String key) {
        return withHeader(IDEMPOTENCY_KEY, key);
    }

    /**
     * This call for the cohort key {@code key} (a payer id, say): routed by the experiment that
     * names the dependency, and sent with {@value io.remit.kit.routing.Cohort#HEADER} so the
     * services it calls route alike. Overrides the thread's {@link io.remit.kit.routing.Cohort}.
     * For a caller outside a request, such as a gateway or a test, which has no inbound key.
     */
    public Call withCohort(String key) {
        String clean = io.remit.kit.routing.Cohort.clean(key);
        if (clean == null) {
            throw new IllegalArgumentException("a cohort key is 1 to " + io.remit.kit.routing.Cohort.MAX_LENGTH
                    + " characters: '" + key + "'");
        }
        return withHeader(io.remit.kit.routing.Cohort.HEADER, clean);
    }

    /** The value of header {@code name} (in any case) this call carries, or null. */
    public String header(String name) {
        if (headers.isEmpty()) {
            return null;
        }
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The body, serialised as JSON when sent; {@code null} for none. */
    public Object body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** Whether sending it twice does no more than sending it once. */
    public boolean retrySafe() {
        return IDEMPOTENT.contains(method) || headers.keySet().stream().anyMatch(IDEMPOTENCY_KEY::equalsIgnoreCase);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
