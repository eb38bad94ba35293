package io.remit.payments.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A JSON HTTP client for tests, thread-safe, with the answers as trees. */
public final class Http {

    public static final ObjectMapper JSON = Jackson.newObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /** An answer: status, headers and the body as JSON (a missing node when empty). */
    public record Answer(int status, java.net.http.HttpHeaders headers, JsonNode body) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public static Answer get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), Map.of());
    }

    /** POSTs {@code body} (a String is sent as it is, anything else as JSON) with {@code headers}. */
    public static Answer post(String url, Object body, Map<String, String> headers) {
        String text;
        try {
            text = body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text));
        return send(b, headers);
    }

    private static Answer send(HttpRequest.Builder b, Map<String, String> headers) {
        headers.forEach(b::header);
        b.timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isEmpty() ? JSON.missingNode() : JSON.readTree(r.body());
            return new Answer(r.statusCode(), r.headers(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
