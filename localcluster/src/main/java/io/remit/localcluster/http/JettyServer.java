package io.remit.localcluster.http;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An HTTP/1.1 server on Jetty that runs handlers written for the JDK's server
 * ({@link HttpHandler} on {@link com.sun.net.httpserver.HttpExchange}), matched as the JDK's
 * server matches its contexts: the longest registered prefix of the request's path. The master
 * serves on it because, unlike the JDK's server, it lets an event stream see at once that its
 * client has closed the connection (see {@link JettyExchange}).
 */
public final class JettyServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    /** Longest prefix first. */
    private final Map<String, HttpHandler> contexts = new ConcurrentSkipListMap<>((a, b) ->
            a.length() != b.length() ? Integer.compare(b.length(), a.length()) : a.compareTo(b));

    private JettyServer(InetSocketAddress address, Duration idleTimeout, String name) {
        QueuedThreadPool threads = new QueuedThreadPool(10_000, 8, 60_000);
        threads.setName(name);
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(idleTimeout.toMillis());
        connector.setAcceptQueueSize(256);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                JettyExchange exchange = new JettyExchange(request, response, callback);
                String path = request.getHttpURI().getPath();
                HttpHandler handler = null;
                for (Map.Entry<String, HttpHandler> c : contexts.entrySet()) {
                    if (path != null && path.startsWith(c.getKey())) {
                        handler = c.getValue();
                        break;
                    }
                }
                try {
                    if (handler == null) {
                        Http.text(exchange, 404, "No context found for request");
                    } else {
                        handler.handle(exchange);
                    }
                } catch (IOException | RuntimeException e) {
                    callback.failed(e);
                    return true;
                }
                exchange.close();
                return true;
            }
        });
    }

    /**
     * A server for {@code address} (port 0 picks one) whose connections are closed after
     * {@code idleTimeout} without traffic; not started.
     */
    public static JettyServer create(InetSocketAddress address, Duration idleTimeout, String threadName) {
        return new JettyServer(address, idleTimeout, threadName);
    }

    public void createContext(String prefix, HttpHandler handler) {
        contexts.put(prefix, handler);
    }

    public void start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly();
            throw e;
        } catch (Exception e) {
            stopQuietly();
            throw new IOException("cannot start the HTTP server on " + connector.getHost() + ":" + connector.getPort()
                    + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            // nothing more to release
        }
    }

    @Override
    public void close() {
        server.setStopTimeout(0);
        stopQuietly();
    }
}
