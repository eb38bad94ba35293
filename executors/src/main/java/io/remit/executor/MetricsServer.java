package io.remit.executor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.remit.executor.api.ExecutorEnv;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's {@value ExecutorEnv#METRICS_PATH}: {@code GET} answers the metrics in
 * Prometheus's text format; any other path 404, any other method 405. Listens on every interface
 * on the port the scheduler reserved for it ({@value ExecutorEnv#METRICS_PORT}), on one daemon
 * thread.
 */
final class MetricsServer implements AutoCloseable {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves {@code metrics} on the port {@code env} names; null without one, or when it cannot
     * be bound (logged: the task runs on without metrics).
     */
    static MetricsServer start(Map<String, String> env, Supplier<String> metrics) {
        String value = env.get(ExecutorEnv.METRICS_PORT);
        if (value == null || value.isBlank()) {
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(value.strip());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException("out of range");
            }
        } catch (NumberFormatException e) {
            LOG.warn("no metrics: {}={} is not a port", ExecutorEnv.METRICS_PORT, value);
            return null;
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 8);
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "metrics");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/", exchange -> answer(exchange, metrics));
            server.start();
            LOG.info("metrics on port {}{}", port, ExecutorEnv.METRICS_PATH);
            return new MetricsServer(server);
        } catch (IOException | RuntimeException e) {
            LOG.warn("no metrics: cannot listen on port {}: {}", port, e.toString());
            return null;
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, Supplier<String> metrics) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(ExecutorEnv.METRICS_PATH)) {
                send(exchange, 404, "not found; the metrics are at " + ExecutorEnv.METRICS_PATH + "\n", false);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "method not allowed\n", false);
            } else {
                exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                send(exchange, 200, metrics.get(), method.equals("HEAD"));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String text, boolean headOnly) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, headOnly ? -1 : body.length);
        if (!headOnly) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
