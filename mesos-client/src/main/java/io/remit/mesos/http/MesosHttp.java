package io.remit.mesos.http;

import com.google.protobuf.Message;
import io.remit.mesos.MediaType;
import io.remit.mesos.MesosCallException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP side of the Mesos v1 APIs, shared by the scheduler and executor clients: POSTs of
 * calls in one {@link MediaType}, over HTTP/1.1 (Mesos does not speak HTTP/2), with redirects
 * left to the caller except where noted.
 *
 * <p>Thread-safe. Futures complete on the {@link HttpClient}'s threads: callers should not block
 * in stages they attach to them.
 */
public final class MesosHttp {

    /** How many 307 redirects one call follows before giving up. */
    public static final int MAX_REDIRECTS = 5;
    private static final int MAX_ERROR_BODY_BYTES = 8 * 1024;

    private final HttpClient client;
    private final MediaType mediaType;
    private final Map<String, String> headers;
    private final Duration requestTimeout;

    /**
     * @param headers extra headers on every request, e.g. {@code Authorization}
     * @param requestTimeout how long to wait for a connection and then for response headers
     */
    public MesosHttp(MediaType mediaType, Map<String, String> headers, Duration requestTimeout) {
        this.mediaType = Objects.requireNonNull(mediaType, "mediaType");
        this.headers = Map.copyOf(headers);
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(requestTimeout)
                .build();
    }

    public MediaType mediaType() {
        return mediaType;
    }

    /**
     * POSTs a SUBSCRIBE call; the future completes once the response headers are in, with the
     * body left open as a stream. Whatever the status, the caller owns and must close the body.
     */
    public CompletableFuture<HttpResponse<InputStream>> subscribe(URI uri, Message call) {
        try {
            return client.sendAsync(request(uri, call, Map.of()), HttpResponse.BodyHandlers.ofInputStream());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * POSTs a non-SUBSCRIBE call and follows up to {@link #MAX_REDIRECTS} 307 redirects
     * (resolving the Location against the URI that answered). Completes normally on 202;
     * exceptionally with a {@link MesosCallException} on any other status, or with the I/O
     * failure.
     */
    public CompletableFuture<Void> call(URI uri, Message call, String callType, Map<String, String> extraHeaders) {
        return call(uri, call, callType, extraHeaders, MAX_REDIRECTS);
    }

    private CompletableFuture<Void> call(
            URI uri, Message call, String callType, Map<String, String> extraHeaders, int redirectsLeft) {
        HttpRequest request;
        try {
            request = request(uri, call, extraHeaders);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenCompose(response -> {
            int status = response.statusCode();
            if (status == 202) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (status == 307 && redirectsLeft > 0) {
                var location = response.headers().firstValue("Location");
                if (location.isPresent()) {
                    return call(resolve(uri, location.get()), call, callType, extraHeaders, redirectsLeft - 1);
                }
            }
            return CompletableFuture.<Void>failedFuture(new MesosCallException(callType, status, body));
        });
    }

    /**
     * Where a 307's {@code Location} points, resolved against the URI that answered; Mesos sends
     * scheme-relative locations such as {@code //10.0.0.2:5050/api/v1/scheduler}.
     */
    public static URI resolve(URI current, String location) {
        return current.resolve(location.strip());
    }

    /** Reads at most a few KiB of a (non-streaming) error body and closes it; never throws. */
    public static String drain(InputStream body) {
        try (body) {
            return new String(body.readNBytes(MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable body: " + e + ">";
        }
    }

    /** A failure as a log line: the cause inside a {@link java.util.concurrent.CompletionException}, with its message. */
    public static String describe(Throwable failure) {
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Closes a body the caller will not read; never throws. */
    public static void discard(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // nothing to do: the connection is dropped either way
        }
    }

    private HttpRequest request(URI uri, Message call, Map<String, String> extraHeaders) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", mediaType.mime())
                .header("Accept", mediaType.mime())
                .POST(HttpRequest.BodyPublishers.ofByteArray(mediaType.encode(call)));
        headers.forEach(b::header);
        extraHeaders.forEach(b::header);
        return b.build();
    }
}
