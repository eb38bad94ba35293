package io.remit.scheduler.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.remit.http.ApiException;
import io.remit.scheduler.spec.Violation;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Traces, from the Zipkin server the services report to: {@code GET /v1/traces} says where it is
 * (the UI links a trace id, a service's failed and slow requests to its pages), and
 * {@code GET /v1/traces/dependencies?minutes=60} reads its dependency links (who called whom, how
 * often, how many failed) through the scheduler, so the browser needs no access to Zipkin's API.
 * When Zipkin is not configured or does not answer: 503 naming it.
 */
@Path("/v1/traces")
@Produces(MediaType.APPLICATION_JSON)
public final class TracesResource {

    private final ZipkinSettings settings;
    private final ObjectMapper json;
    private final Clock clock;
    private final HttpClient http;

    public TracesResource(ZipkinSettings settings, ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout.toJavaDuration()).build();
    }

    @GET
    public Map<String, Object> where() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("zipkinUrl", settings.base());
        out.put("uiUrl", settings.configured() ? settings.base() + "/zipkin/" : "");
        return out;
    }

    @GET
    @Path("dependencies")
    public Map<String, Object> dependencies(@QueryParam("minutes") String minutes) {
        int window = SignalsResource.minutes(minutes);
        if (!settings.configured()) {
            throw unavailable("no Zipkin is configured (zipkin.url in the scheduler's config)");
        }
        long end = clock.millis();
        String url = settings.base() + "/api/v2/dependencies?endTs=" + end + "&lookback=" + Duration.ofMinutes(window).toMillis();
        JsonNode answer;
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(settings.timeout.toJavaDuration()).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw unavailable("Zipkin at " + settings.base() + " answered " + r.statusCode());
            }
            try {
                answer = json.readTree(r.body());
            } catch (IOException e) {
                throw unavailable("Zipkin at " + settings.base() + " answered 200 with something that is not JSON");
            }
            if (answer == null || !answer.isArray()) {
                throw unavailable("Zipkin at " + settings.base() + " answered 200 with something that is not a list of links");
            }
        } catch (IOException e) {
            throw unavailable("Zipkin at " + settings.base() + " did not answer: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while asking Zipkin");
        }
        List<Map<String, Object>> links = new ArrayList<>();
        for (JsonNode link : answer) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("parent", link.path("parent").asText());
            l.put("child", link.path("child").asText());
            l.put("callCount", link.path("callCount").asLong());
            l.put("errorCount", link.path("errorCount").asLong());
            links.add(l);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", settings.base());
        out.put("minutes", window);
        out.put("links", links);
        return out;
    }

    /**
     * What went wrong, in words for the caller: never the exception's class name or stack, which
     * say nothing to a client and are in the scheduler's log.
     */
    private String describe(IOException e) {
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return "no connection within " + settings.timeout;
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer within " + settings.timeout;
        }
        if (e instanceof java.net.ConnectException) {
            return "the connection was refused";
        }
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "the connection failed" : "the connection failed (" + m + ")";
    }

    private static ApiException unavailable(String message) {
        return new ApiException(503, "traces unavailable: " + message, List.of(new Violation("zipkin", message)));
    }
}
