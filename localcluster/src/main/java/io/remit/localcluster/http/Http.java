package io.remit.localcluster.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers for answering over {@code com.sun.net.httpserver}. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private Http() {
    }

    /** The body of a handler that may throw. */
    @FunctionalInterface
    public interface Handling {
        void serve(com.sun.net.httpserver.HttpExchange ex) throws IOException;
    }

    /**
     * Runs {@code handling}, answering 500 with the error's text (never a stack trace) when it
     * throws, and always closing the exchange.
     */
    public static void guarded(HttpExchange ex, org.slf4j.Logger log, Handling handling) throws IOException {
        try {
            handling.serve(ex);
        } catch (RuntimeException e) {
            log.error("{} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
            text(ex, 500, "Internal error: " + e);
        } finally {
            ex.close();
        }
    }

    /** Reads the whole request body, refusing one larger than {@code limit} bytes. */
    public static byte[] readBody(HttpExchange ex, int limit) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                throw new BodyTooLargeException(limit);
            }
            return body;
        }
    }

    /** Answers with a plain-text body, as Mesos does for its errors. */
    public static void text(HttpExchange ex, int status, String message) throws IOException {
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        send(ex, status, body);
    }

    public static void json(HttpExchange ex, int status, Object value) throws IOException {
        byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, body);
    }

    /** An empty answer (e.g. 202 Accepted). */
    public static void empty(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    public static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (body.length == 0) {
            empty(ex, status);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** Thrown when a request body is over its limit; answered 413. */
    public static final class BodyTooLargeException extends IOException {
        public BodyTooLargeException(int limit) {
            super("Request body is larger than " + limit + " bytes");
        }
    }
}
