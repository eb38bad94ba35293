package io.remit.http;

import java.util.List;

/**
 * Writes the JSON body of an error answered outside Jersey (by a filter or by Jetty itself), in
 * the shape of the application: the kit's and the scheduler's {@code {code, message, details}},
 * or Marathon's on the scheduler's {@code /v2}. Must not throw.
 */
@FunctionalInterface
public interface ErrorWriter {

    /**
     * @param path the request's path, when known (else empty)
     */
    String body(String path, int status, String message, List<FieldError> details);
}
