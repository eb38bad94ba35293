package io.remit.scheduler.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.json}: the REST API described in OpenAPI 3 (a document kept next to this
 * class; {@code OpenApiDocumentTest} checks it names exactly the operations the resources serve).
 */
@Path("/openapi.json")
public final class OpenApiResource {

    public static final String DOCUMENT = "openapi.json";
    private final byte[] document;

    public OpenApiResource() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the scheduler's jar");
            }
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] get() {
        return document.clone();
    }
}
