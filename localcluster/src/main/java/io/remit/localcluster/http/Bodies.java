package io.remit.localcluster.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import io.remit.mesos.MediaType;
import io.remit.mesos.json.ProtoJson;
import java.io.IOException;

/**
 * Reads a call from a request the way the Mesos master and agent do, answering the request
 * with their status codes and messages when it cannot.
 */
public final class Bodies {

    /** Larger bodies get 413; Mesos sets no limit, but one JVM must not be run out of memory. */
    public static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

    private Bodies() {
    }

    /**
     * Checks the method, Content-Type and body, and parses the call. Returns null when the
     * request has already been answered with an error.
     */
    public static <M extends Message> M readCall(HttpExchange ex, Message.Builder builder) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            ex.getResponseHeaders().set("Allow", "POST");
            Http.text(ex, 405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received '"
                    + ex.getRequestMethod() + "'.");
            return null;
        }
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null) {
            Http.text(ex, 400, "Expecting 'Content-Type' to be present");
            return null;
        }
        // Mesos compares the whole header: parameters such as charset make it unsupported.
        MediaType type = MediaType.JSON.mime().equals(contentType) ? MediaType.JSON
                : MediaType.PROTOBUF.mime().equals(contentType) ? MediaType.PROTOBUF : null;
        if (type == null) {
            Http.text(ex, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
            return null;
        }
        byte[] body;
        try {
            body = Http.readBody(ex, MAX_BODY_BYTES);
        } catch (Http.BodyTooLargeException e) {
            Http.text(ex, 413, e.getMessage());
            return null;
        }
        if (type == MediaType.PROTOBUF) {
            try {
                return type.decode(body, builder);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                Http.text(ex, 400, "Failed to parse body into Call protobuf");
                return null;
            }
        }
        try {
            Http.JSON.readTree(body);
        } catch (JsonProcessingException e) {
            Http.text(ex, 400, "Failed to parse body into JSON: " + e.getOriginalMessage());
            return null;
        }
        try {
            return ProtoJson.parse(body, builder);
        } catch (InvalidProtocolBufferException e) {
            Http.text(ex, 400, "Failed to convert JSON into Call protobuf: " + e.getMessage());
            return null;
        }
    }

    /**
     * The media type a SUBSCRIBE may be answered in (JSON first, as Mesos prefers it), or null
     * after answering 406.
     */
    public static MediaType negotiate(HttpExchange ex) throws IOException {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        MediaType type = MediaType.negotiate(accept, MediaType.JSON).orElse(null);
        if (type == null) {
            Http.text(ex, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
        }
        return type;
    }
}
