package io.remit.kit.client;

import java.nio.charset.StandardCharsets;

/**
 * What a dependency answered: status, content type, body bytes and headers; and which instance
 * answered after how many attempts.
 */
public record Reply(int status, String contentType, byte[] body, String instance, int attempts,
                    java.net.http.HttpHeaders headers) {

    private static final java.net.http.HttpHeaders NONE = java.net.http.HttpHeaders.of(java.util.Map.of(), (k, v) -> true);

    public Reply {
        headers = headers == null ? NONE : headers;
    }

    /** An answer without headers (a recorded one). */
    public Reply(int status, String contentType, byte[] body, String instance, int attempts) {
        this(status, contentType, body, instance, attempts, NONE);
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /** The version of the instance that answered ({@code X-Remit-Version}, which kit services send), or null. */
    public String version() {
        return header(io.remit.kit.routing.CohortFilter.VERSION_HEADER);
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
