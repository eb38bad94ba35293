package io.remit.scheduler.api;

import io.remit.http.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.nio.file.Path;


/**
 * {@code GET /artifacts/<file>}: serves the executor jar and service jars from a configured folder,
 * so that Mesos agents fetch them with the standard fetcher over HTTP.
 */
@jakarta.ws.rs.Path("/artifacts")
public final class ArtifactsResource {

    private final Path folder;

    public ArtifactsResource(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    @GET
    @jakarta.ws.rs.Path("{name}")
    public Response get(@PathParam("name") String name) {
        Path file = resolve(name);
        return Response.ok(file.toFile(), "application/octet-stream")
                .header("Content-Length", file.toFile().length()).build();
    }

    @HEAD
    @jakarta.ws.rs.Path("{name}")
    public Response head(@PathParam("name") String name) {
        Path file = resolve(name);
        return Response.ok().header("Content-Length", file.toFile().length()).build();
    }

    private Path resolve(String name) {
        Path file = folder.resolve(name).normalize();
        if (!file.startsWith(folder) || name.contains("/") || !Files.isRegularFile(file)) {
            throw ApiException.notFound("artifact '" + name + "'");
        }
        return file;
    }

}
