package io.remit.localcluster.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One Jetty request seen as a {@link HttpExchange}, so that the handlers written for the JDK's
 * server answer on Jetty unchanged; and, what the JDK's server cannot tell, whether the client
 * has closed its connection while a long response (an event stream) is still being written.
 * {@link #sendResponseHeaders} follows the JDK's contract: a length of 0 means a chunked body of
 * any length, -1 no body at all.
 */
public final class JettyExchange extends HttpExchange {

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream in;
    private OutputStream out;
    private int code = -1;
    private boolean closed;

    JettyExchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        for (HttpField f : request.getHeaders()) {
            requestHeaders.add(f.getName(), f.getValue());
        }
        this.in = Content.Source.asInputStream(request);
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return URI.create(request.getHttpURI().getPathQuery());
    }

    @Override
    public String getRequestMethod() {
        return request.getMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (code < 0) {
                sendResponseHeaders(500, -1);
            }
            out.close();
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
        }
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        return out;
    }

    @Override
    public synchronized void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        if (code >= 0) {
            throw new IOException("headers already sent");
        }
        code = rCode;
        response.setStatus(rCode);
        for (Map.Entry<String, List<String>> h : responseHeaders.entrySet()) {
            for (String v : h.getValue()) {
                response.getHeaders().add(h.getKey(), v);
            }
        }
        if (responseLength > 0) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, responseLength);
        } else if (responseLength < 0) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        }
        OutputStream sink = Content.Sink.asOutputStream(response);
        out = responseLength < 0 ? OutputStream.nullOutputStream() : sink;
        if (responseLength < 0) {
            sink.close();
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof InetSocketAddress i ? i : null;
    }

    @Override
    public int getResponseCode() {
        return code;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        SocketAddress a = request.getConnectionMetaData().getLocalSocketAddress();
        return a instanceof InetSocketAddress i ? i : null;
    }

    @Override
    public String getProtocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            in = i;
        }
        if (o != null) {
            out = o;
        }
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }

    /**
     * Calls {@code onClose} as soon as the client closes the connection (or resets it), once the
     * request body has been read and while the response goes on. The connection is not reused
     * after this response: the client must not send anything more on it, and anything it sends
     * is taken as the end.
     */
    void watchForClientClose(Runnable onClose) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        try {
            endPoint.fillInterested(new Callback() {
                @Override
                public void succeeded() {
                    // Readable: the end of the stream (or a reset), or stray bytes; either way
                    // this client is done listening.
                    onClose.run();
                }

                @Override
                public void failed(Throwable x) {
                    onClose.run();
                }
            });
        } catch (RuntimeException e) {
            // Already read-interested (the connection reads ahead): the next write failure tells.
        }
    }
}
