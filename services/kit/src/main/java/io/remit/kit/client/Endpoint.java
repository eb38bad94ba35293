package io.remit.kit.client;

/**
 * One instance a client can call: its base URL ({@code http://10.0.0.5:31001}), the version it
 * runs ({@code null} when not known, e.g. a fixed URL from config) and its weight among the
 * instances of that version ({@link io.remit.registry.discovery.Instance#effectiveWeight()}).
 */
public record Endpoint(String baseUrl, String version, int weight) {

    public Endpoint {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("baseUrl is required");
        }
        if (weight < 0) {
            throw new IllegalArgumentException("weight must be at least 0: " + weight);
        }
    }

    /** An instance of unknown version, of the default weight. */
    public static Endpoint of(String baseUrl) {
        return new Endpoint(baseUrl, null, io.remit.registry.discovery.Instance.DEFAULT_WEIGHT);
    }
}
