package io.remit.localcluster.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback whose open connections can be turned into black holes: bytes are
 * still read from both sides but no longer forwarded, and nothing is closed. That is what a
 * network partition looks like to both ends (unlike a closed socket, which they notice at once);
 * only heartbeats reveal it. Connections opened after {@link #swallowOpenConnections()} work
 * normally.
 */
final class BlackHoleProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final List<Link> links = new CopyOnWriteArrayList<>();

    BlackHoleProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "black-hole-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Every connection open now silently drops whatever either side sends from here on. */
    void swallowOpenConnections() {
        links.forEach(l -> l.swallowing = true);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                Link link = new Link(client, upstream);
                links.add(link);
                pump(link, client, upstream);
                pump(link, upstream, client);
            } catch (IOException e) {
                // the server socket was closed, or the target refused: the client sees a reset
            }
        }
    }

    private void pump(Link link, Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!link.swallowing) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                link.close();
            }
        }, "black-hole-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        links.forEach(Link::close);
    }

    private static final class Link {
        final Socket a;
        final Socket b;
        volatile boolean swallowing;

        Link(Socket a, Socket b) {
            this.a = a;
            this.b = b;
        }

        void close() {
            try {
                a.close();
                b.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
