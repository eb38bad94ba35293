package io.remit.mesos.fake;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.remit.mesos.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A scriptable stand-in for one Mesos HTTP endpoint ({@code /api/v1/scheduler} on a master or
 * {@code /api/v1/executor} on an agent), on a JDK {@link HttpServer} bound to a free port.
 * It records every call it receives; the test decides how SUBSCRIBE and other calls are
 * answered and pushes events down open streams by hand.
 *
 * @param <C> the call type of the API
 */
public final class FakeMesos<C extends Message> implements AutoCloseable {

    /** A call as received. */
    public record Request<C>(C call, Headers headers, MediaType type) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.getFirst(name));
        }
    }

    /** How to answer a request. */
    public sealed interface Reply {
        /** 200 and an open event stream, starting with the first event (if any). */
        record Stream() implements Reply {
        }

        /** A plain response. */
        record Status(int code, String body, Map<String, String> headers) implements Reply {
        }

        static Reply stream() {
            return new Stream();
        }

        static Reply status(int code, String body) {
            return new Status(code, body, Map.of());
        }

        static Reply redirect(String location) {
            return new Status(307, "", Map.of("Location", location));
        }
    }

    public final BlockingQueue<Request<C>> subscribes = new LinkedBlockingQueue<>();
    public final BlockingQueue<Request<C>> calls = new LinkedBlockingQueue<>();
    public final BlockingQueue<FakeStream> streams = new LinkedBlockingQueue<>();

    private final String path;
    private final Supplier<Message.Builder> callBuilder;
    private final Predicate<C> isSubscribe;
    private final boolean sendsStreamId;
    private final List<FakeStream> open = new CopyOnWriteArrayList<>();
    private volatile Function<Request<C>, Reply> subscribeReply = r -> Reply.stream();
    private volatile Function<Request<C>, Reply> callReply = r -> Reply.status(202, "");
    private volatile Function<Request<C>, Message> firstEvent = r -> null;
    private volatile HttpServer server;
    private volatile ExecutorService executor;
    private volatile int port;

    public FakeMesos(String path, Supplier<Message.Builder> callBuilder, Predicate<C> isSubscribe, boolean sendsStreamId) {
        this.path = path;
        this.callBuilder = callBuilder;
        this.isSubscribe = isSubscribe;
        this.sendsStreamId = sendsStreamId;
        start(0);
    }

    /** {@code http://127.0.0.1:port}. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public void onSubscribe(Function<Request<C>, Reply> reply) {
        subscribeReply = reply;
    }

    public void onCall(Function<Request<C>, Reply> reply) {
        callReply = reply;
    }

    /** The event written first on each new stream (e.g. SUBSCRIBED), or null for none. */
    public void firstEvent(Function<Request<C>, Message> event) {
        firstEvent = event;
    }

    /** Stops listening and drops every connection, as a crashed process would. */
    public void stop() {
        HttpServer s = server;
        if (s != null) {
            server = null;
            for (FakeStream stream : open) {
                stream.release();
            }
            open.clear();
            s.stop(0);
            executor.shutdownNow();
        }
    }

    /** Comes back on the same port after {@link #stop()}. */
    public void restart() {
        start(port);
    }

    @Override
    public void close() {
        stop();
    }

    private void start(int onPort) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
            executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "fake-mesos-" + path);
                t.setDaemon(true);
                return t;
            });
            s.setExecutor(executor);
            s.createContext(path, this::handle);
            s.start();
            port = s.getAddress().getPort();
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!ex.getRequestMethod().equals("POST")) {
                reply(ex, new Reply.Status(405, "", Map.of()));
                return;
            }
            Optional<MediaType> type = MediaType.fromContentType(ex.getRequestHeaders().getFirst("Content-Type"));
            if (type.isEmpty()) {
                reply(ex, Reply.status(415, "unsupported Content-Type"));
                return;
            }
            C call;
            try {
                call = type.get().decode(body, callBuilder.get());
            } catch (InvalidProtocolBufferException e) {
                reply(ex, Reply.status(400, "Failed to parse body: " + e.getMessage()));
                return;
            }
            Request<C> request = new Request<>(call, ex.getRequestHeaders(), type.get());
            if (isSubscribe.test(call)) {
                subscribes.add(request);
                Reply r = subscribeReply.apply(request);
                if (r instanceof Reply.Stream) {
                    stream(ex, request);
                } else {
                    reply(ex, r);
                }
            } else {
                calls.add(request);
                reply(ex, callReply.apply(request));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.close();
        }
    }

    private void stream(HttpExchange ex, Request<C> request) throws IOException, InterruptedException {
        String streamId = sendsStreamId ? UUID.randomUUID().toString() : null;
        ex.getResponseHeaders().set("Content-Type", request.type().mime());
        if (streamId != null) {
            ex.getResponseHeaders().set(MediaType.STREAM_ID_HEADER, streamId);
        }
        ex.sendResponseHeaders(200, 0);
        FakeStream stream = new FakeStream(ex, request.type(), streamId);
        open.add(stream);
        Message first = firstEvent.apply(request);
        if (first != null) {
            stream.send(first);
        }
        streams.add(stream);
        stream.awaitClosed();
        open.remove(stream);
    }

    private static void reply(HttpExchange ex, Reply r) throws IOException {
        Reply.Status status = (Reply.Status) r;
        status.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        byte[] body = status.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status.code(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }
}
