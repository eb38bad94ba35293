package io.remit.localcluster.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Creates the master's and agents' {@code com.sun.net.httpserver} servers.
 *
 * <p>The JDK server keeps at most {@code sun.net.httpserver.maxIdleConnections} (200 by default)
 * idle keep-alive connections and closes any connection that goes idle beyond that, just after
 * sending its response. A client that got the response has already put the connection back in its
 * pool, so its next call on it fails with no bytes read ("header parser received no bytes" in the
 * JDK client). A scheduler acknowledging a thousand updates at once keeps far more than 200
 * connections open, so that limit is raised here before the first server reads it. A value the
 * operator set on the command line is kept.
 */
public final class Servers {

    /** Idle connections kept open; a real master (libprocess) sets no such limit. */
    static final int MAX_IDLE_CONNECTIONS = 100_000;

    static {
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", Integer.toString(MAX_IDLE_CONNECTIONS));
        }
    }

    private Servers() {
    }

    /** An unstarted server bound to {@code address}; port 0 picks a free port. */
    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        return HttpServer.create(address, backlog);
    }
}
