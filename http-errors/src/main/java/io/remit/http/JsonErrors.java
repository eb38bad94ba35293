package io.remit.http;

import java.io.IOException;
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
 * {@code ..;}), 414 URI too long, 431 headers too large, a servlet's {@code sendError} (the web
 * UI's missing files), an error nothing caught ({@link OutOfMemoryError} too). As JSON in the
 * application's shape ({@link ErrorWriter}) instead of Jetty's HTML page, whatever the request's
 * {@code Accept} and method. {@link #install} puts {@link ForServer} on the {@link Server} (errors
 * before any context) and {@link ForContext} on the application's and the admin's contexts.
 */
public final class JsonErrors {

    private JsonErrors() {
    }

    static String body(ErrorWriter errors, Request request, int code, String message) {
        String text = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        String path = request == null || request.getHttpURI() == null ? "" : request.getHttpURI().getPath();
        return errors.body(path, code, text, detailsOf(code, text));
    }

    private static List<FieldError> detailsOf(int code, String message) {
        return switch (code) {
            case 413 -> List.of(new FieldError("body", "is too large"));
            case 414 -> List.of(new FieldError("uri", "is too long"));
            case 431 -> List.of(new FieldError("headers", "are too large"));
            case 400 -> message.toLowerCase().contains("uri") || message.toLowerCase().contains("path")
                    ? List.of(new FieldError("uri", message)) : List.of();
            default -> List.of();
        };
    }

    /**
     * For servlets that answer an error with {@code setStatus} and no body (Dropwizard's
     * {@code AssetServlet} does for a missing file): turns that into {@code sendError}, so the
     * context's error handler writes the JSON body.
     */
    public static final class StatusAsError implements jakarta.servlet.Filter {
        @Override
        public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res, jakarta.servlet.FilterChain chain)
                throws IOException, jakarta.servlet.ServletException {
            chain.doFilter(req, new jakarta.servlet.http.HttpServletResponseWrapper((jakarta.servlet.http.HttpServletResponse) res) {
                @Override
                public void setStatus(int sc) {
                    if (sc >= 400 && !isCommitted()) {
                        try {
                            sendError(sc);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    } else {
                        super.setStatus(sc);
                    }
                }
            });
        }
    }

    /** The server's error handler: requests Jetty refuses before they reach a context. */
    public static final class ForServer extends org.eclipse.jetty.server.handler.ErrorHandler {
        private final ErrorWriter errors;

        public ForServer(ErrorWriter errors) {
            this.errors = errors;
        }

        @Override
        public boolean errorPageForMethod(String method) {
            return true; // a body for a refused PUT or DELETE too
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                     List<Charset> charsets, int code, String message, Throwable cause)
                throws IOException {
            return super.generateAcceptableResponse(request, response, callback, "application/json", charsets, code, message, cause);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(errors, request, code, message));
        }
    }

    /** A servlet context's error handler: {@code sendError} of servlets and filters, uncaught errors. */
    public static final class ForContext extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
        private final ErrorWriter errors;

        public ForContext(ErrorWriter errors) {
            this.errors = errors;
        }

        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                     List<Charset> charsets, int code, String message, Throwable cause)
                throws IOException {
            return super.generateAcceptableResponse(request, response, callback, "application/json", charsets, code, message, cause);
        }

        @Override
        protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
            writer.write(body(errors, request, code, message));
        }
    }

    /**
     * Jetty's own errors as JSON in {@code environment}: the contexts' handlers now, the server's
     * as it starts (Dropwizard builds the server with a handler of its own).
     */
    public static void install(io.dropwizard.core.setup.Environment environment, ErrorWriter errors) {
        environment.getApplicationContext().setErrorHandler(new ForContext(errors));
        environment.getAdminContext().setErrorHandler(new ForContext(errors));
        environment.lifecycle().addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                if (event instanceof Server server) {
                    server.setErrorHandler(new ForServer(errors));
                }
            }
        });
    }
}
