package io.remit.payments.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP server (the JDK's) on a free loopback port standing in for a Remit service that
 * is written elsewhere (fx, schools), answering JSON the way the real one is specified to. A fake
 * is used because those services are not built yet; it speaks real HTTP to payments' real clients.
 */
abstract class FakeServer implements AutoCloseable {

    protected static final ObjectMapper JSON = Jackson.newObjectMapper()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private volatile boolean down;

    FakeServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                if (down) {
                    // no answer at all: the connection is closed, as by a crashed instance
                    throw new IOException("down");
                }
                handle(exchange);
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** While down, every request has its connection closed without an answer. */
    public void down(boolean down) {
        this.down = down;
    }

    protected abstract void handle(HttpExchange exchange) throws IOException;

    protected static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    protected static void error(HttpExchange exchange, int status, String message) throws IOException {
        answer(exchange, status, Map.of("code", status, "message", message, "details", java.util.List.of()));
    }

    protected static String bodyText(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
