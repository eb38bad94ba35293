package io.remit.kit.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before or outside Jersey: a bad or ambiguous URI ({@code %2F},
 * {@code ..;}), 414 URI too long, 431 headers too large, a servlet's {@code sendError}, an error
 * nothing caught (an {@link OutOfMemoryError} too). As the one {@link ApiError} JSON shape instead
 * of Jetty's HTML page, whatever the request's {@code Accept} and method.
 * {@link ForServer} goes on the {@link Server} (errors before any context), {@link ForContext} on
 * the application's servlet context.
 */
public final class JettyErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JettyErrors() {
    }

    /** The body for {@code code}: Jetty's message (or the status's name) and, when known, what was wrong. */
    static String body(int code, String message) {
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        try {
            return JSON.writeValueAsString(new ApiError(code, text, detailsOf(code, text)));
        } catch (JsonProcessingException e) {
            return "{\"code\":" + code + ",\"message\":\"" + HttpStatus.getMessage(code) + "\",\"details\":[]}";
        }
    }

    private static List<Problem> detailsOf(int code, String message) {
        return switch (code) {
            case 413 -> List.of(new Problem("body", "is too large"));
            case 414 -> List.of(new Problem("uri", "is too long"));
            case 431 -> List.of(new Problem("headers", "are too large"));
            case 400 -> message.toLowerCase().contains("uri") || message.toLowerCase().contains("path")
                    ? List.of(new Problem("uri", message)) : List.of();
            default -> List.of();
        };
    }

    /** The server's error handler: requests Jetty refuses before they reach a context. */
    public static final class ForServer extends org.eclipse.jetty.server.handler.ErrorHandler {
        @Override
        public boolean errorPageForMethod(String method) {
            return true; // a body for a refused PUT or DELETE too
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                     List<Charset> charsets, int code, String message, Throwable cause)
                throws java.io.IOException {
            return super.generateAcceptableResponse(request, response, callback, "application/json", charsets, code, message, cause);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(code, message));
        }
    }

    /** The application context's error handler: {@code sendError} of servlets and filters, uncaught errors. */
    public static final class ForContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                     List<Charset> charsets, int code, String message, Throwable cause)
                throws java.io.IOException {
            return super.generateAcceptableResponse(request, response, callback, "application/json", charsets, code, message, cause);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(code, message));
        }
    }
}
