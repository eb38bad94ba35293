package io.remit.localcluster.master;

import com.sun.net.httpserver.HttpExchange;
import io.remit.localcluster.http.Http;
import io.remit.localcluster.http.JettyServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * The master's HTTP server: the v1 scheduler API, the v1 operator API (MARK_AGENT_GONE) and
 * the read-only endpoints tools use. A
 * standby server (no {@link Master}) answers the scheduler API with 307 to the leader, as a
 * non-leading Mesos master does.
 *
 * <p>It runs on Jetty rather than the JDK's server so that a framework's event stream ends the
 * moment its scheduler closes the connection, as on a Mesos master, which reads the socket.
 */
public final class MasterServer implements AutoCloseable {

    /** Idle connections are closed after this (the JDK's server's default); streams carry heartbeats. */
    private static final Duration IDLE = Duration.ofSeconds(30);

    private final JettyServer server;

    private MasterServer(JettyServer server) {
        this.server = server;
    }

    /** Serves {@code master} on {@code address}; port 0 picks a free port. */
    public static MasterServer leading(Master master, InetSocketAddress address) throws IOException {
        Duration beat = master.config.heartbeatInterval();
        JettyServer server = JettyServer.create(address, beat.multipliedBy(3).compareTo(IDLE) > 0
                ? beat.multipliedBy(3) : IDLE, "master-http");
        SchedulerEndpoint scheduler = new SchedulerEndpoint(master);
        server.createContext("/api/v1/scheduler", scheduler);
        server.createContext("/master/api/v1/scheduler", scheduler);
        OperatorEndpoint operator = new OperatorEndpoint(master);
        server.createContext("/api/v1", exact("/api/v1", operator));
        server.createContext("/master/api/v1", exact("/master/api/v1", operator));
        for (String path : new String[] {"/state", "/state.json", "/master/state", "/master/state.json"}) {
            server.createContext(path, ex -> get(ex, () -> master.state()));
        }
        for (String path : new String[] {"/slaves", "/master/slaves"}) {
            server.createContext(path, ex -> get(ex, () -> master.agentsState()));
        }
        server.createContext("/health", ex -> get(ex, null));
        server.createContext("/master/health", ex -> get(ex, null));
        String leader = "//" + master.info().getHostname() + ":" + master.info().getPort();
        server.createContext("/master/redirect", ex -> redirect(ex, leader));
        server.createContext("/redirect", ex -> redirect(ex, leader));
        server.createContext("/version", ex -> get(ex, () -> Map.of("version", StateJson.VERSION,
                "build_user", "remit-localcluster")));
        return start(server);
    }

    /** A non-leading master at {@code address} whose leader is {@code leaderHostPort}. */
    public static MasterServer standby(InetSocketAddress address, String leaderHostPort) throws IOException {
        JettyServer server = JettyServer.create(address, IDLE, "standby-http");
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getRawPath();
            String target = path.startsWith("/api/v1/") ? "/master" + path : path;
            redirect(ex, "//" + leaderHostPort + target);
        });
        return start(server);
    }

    /** {@code handler} for exactly {@code path}; a longer path under it is not found (404). */
    private static com.sun.net.httpserver.HttpHandler exact(String path, com.sun.net.httpserver.HttpHandler handler) {
        return ex -> {
            if (ex.getRequestURI().getRawPath().equals(path)) {
                handler.handle(ex);
            } else {
                try {
                    Http.text(ex, 404, "No context found for request");
                } finally {
                    ex.close();
                }
            }
        };
    }

    private static MasterServer start(JettyServer server) throws IOException {
        server.start();
        return new MasterServer(server);
    }

    public int port() {
        return server.port();
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        Http.empty(ex, 307);
    }

    private static void get(HttpExchange ex, java.util.function.Supplier<Object> body) throws IOException {
        try {
            if (body == null) {
                Http.empty(ex, 200);
            } else {
                Http.json(ex, 200, body.get());
            }
        } finally {
            ex.close();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
