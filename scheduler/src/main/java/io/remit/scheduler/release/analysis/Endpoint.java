package io.remit.scheduler.release.analysis;

import java.util.Comparator;

/** One route of a service, as the kit labels its requests: {@code method} and {@code path} (the route's template). */
record Endpoint(String method, String path) implements Comparable<Endpoint> {

    private static final Comparator<Endpoint> ORDER =
            Comparator.comparing(Endpoint::path).thenComparing(Endpoint::method);

    @Override
    public int compareTo(Endpoint o) {
        return ORDER.compare(this, o);
    }

    /** As people write it: {@code POST /payments/{id}}. */
    @Override
    public String toString() {
        return method + " " + path;
    }
}
