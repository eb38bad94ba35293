package io.remit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler's REST API as the verbs use it: a request, and its answer when it is a success.
 * An error answer becomes a {@link CliException} whose message is the API's own ({@code message},
 * then each of {@code details} as {@code path: message}); a scheduler that does not answer, one
 * with status {@link CliException#UNREACHABLE}. Redirects (a standby sends writes to the leader)
 * are followed.
 */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String MESSAGE_HEADER = "X-Remit-Message";

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    Api(String base, String token) {
        this.base = base;
        this.token = token;
    }

    String base() {
        return base;
    }

    /** A successful answer. */
    record Answer(int status, java.net.http.HttpHeaders headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new CliException(CliException.FAILED, "the scheduler answered something that is not JSON: "
                        + body.lines().findFirst().orElse(""));
            }
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    Answer get(String path) {
        return send("GET", path, null, null, Map.of("Accept", "application/json"));
    }

    Answer getText(String path) {
        return send("GET", path, null, null, Map.of("Accept", "text/plain"));
    }

    /** A POST or PUT of a JSON body (none when null), with the change message when there is one. */
    Answer write(String method, String path, String json, String message) {
        return send(method, path, "application/json", json, messageHeader(message));
    }

    /**
     * Sends the request; answers 2xx, else throws.
     *
     * @param contentType of {@code body}; ignored when the body is null
     */
    Answer send(String method, String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new CliException(CliException.UNREACHABLE, "the scheduler at " + base + " did not answer "
                    + method + " " + path + " in time");
        } catch (ConnectException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach the scheduler at " + base
                    + " (is it running? ./remit local, or --scheduler URL)");
        } catch (IOException e) {
            throw new CliException(CliException.UNREACHABLE, "talking to the scheduler at " + base + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
        }
        if (r.statusCode() >= 200 && r.statusCode() < 300) {
            return new Answer(r.statusCode(), r.headers(), r.body());
        }
        throw new CliException(CliException.FAILED, describe(r.statusCode(), r.body()));
    }

    /** The API's error as lines: its message, then each detail; with a hint for missing credentials. */
    static String describe(int status, String body) {
        StringBuilder out = new StringBuilder();
        try {
            JsonNode e = JSON.readTree(body);
            out.append(e.path("message").asText("HTTP " + status));
            for (JsonNode d : e.path("details")) {
                String path = d.path("path").asText("");
                out.append("\n  ").append(path.isEmpty() ? "" : path + ": ").append(d.path("message").asText());
            }
        } catch (IOException | RuntimeException notJson) {
            out.append("HTTP ").append(status).append(body == null || body.isBlank() ? "" : ": " + body.strip());
        }
        if (status == 401) {
            out.append("\n(give an operator's token with --token, or run ./remit from the folder whose var/credentials"
                    + " the scheduler uses; --var DIR names another)");
        }
        return out.toString();
    }

    /**
     * The {@value #MESSAGE_HEADER} header for {@code message}: as it is when printable ASCII, else
     * in RFC 8187's {@code UTF-8''} form (header values are not UTF-8).
     */
    static Map<String, String> messageHeader(String message) {
        if (message == null || message.isBlank()) {
            return Map.of();
        }
        boolean plain = message.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && !message.startsWith("UTF-8''");
        return Map.of(MESSAGE_HEADER, plain ? message
                : "UTF-8''" + URLEncoder.encode(message, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
