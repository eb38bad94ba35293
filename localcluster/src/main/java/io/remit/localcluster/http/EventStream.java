package io.remit.localcluster.http;

import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import io.remit.mesos.MediaType;
import io.remit.mesos.recordio.RecordIO;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's RecordIO event stream over a chunked HTTP response. Producers call
 * {@link #send} from any thread without blocking; the HTTP handler thread that answered the
 * SUBSCRIBE runs {@link #pump} to write the events in order until the stream is closed or the
 * client goes away.
 */
public final class EventStream {

    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final byte[] END = new byte[0];

    private final String id;
    private final MediaType mediaType;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    /** The client closed its connection (seen only where the server can tell, see {@link JettyExchange}). */
    private volatile boolean clientGone;
    private volatile Runnable onBroken = () -> { };

    public EventStream(String id, MediaType mediaType) {
        this.id = id;
        this.mediaType = mediaType;
    }

    public String id() {
        return id;
    }

    public MediaType mediaType() {
        return mediaType;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Called once, on the pumping thread, when the client went away (not on {@link #close}). */
    public void onBroken(Runnable callback) {
        this.onBroken = callback;
    }

    /** Queues an event; a no-op once the stream is closed. */
    public void send(Message event) {
        if (!closed) {
            queue.add(mediaType.encode(event));
        }
    }

    /** Queues {@code last} (if not null) and ends the stream after it. Idempotent. */
    public void close(Message last) {
        if (closed) {
            return;
        }
        if (last != null) {
            queue.add(mediaType.encode(last));
        }
        closed = true;
        queue.add(END);
    }

    /** Ends the stream at once, dropping what is queued: the fault hook for a broken connection. */
    public void abort() {
        closed = true;
        queue.clear();
        queue.add(END);
    }

    /**
     * Writes the response headers and then every event until the stream ends. Blocks the calling
     * (HTTP handler) thread; returns when the stream was closed or the client went away.
     */
    public void pump(HttpExchange exchange, String streamIdHeader) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", mediaType.mime());
        if (streamIdHeader != null) {
            exchange.getResponseHeaders().set(MediaType.STREAM_ID_HEADER, streamIdHeader);
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        if (exchange instanceof JettyExchange jetty) {
            jetty.watchForClientClose(() -> {
                clientGone = true;
                queue.add(END);
            });
        }
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            while (true) {
                byte[] record = queue.poll(1, TimeUnit.SECONDS);
                if (record == null) {
                    continue;
                }
                if (record == END) {
                    if (clientGone && !closed) {
                        LOG.debug("stream {}: the client closed its connection", id);
                        closed = true;
                        onBroken.run();
                    }
                    break;
                }
                RecordIO.write(out, record);
                while ((record = queue.peek()) != null && record != END) {
                    RecordIO.write(out, queue.poll());
                }
                out.flush();
            }
            out.close();
        } catch (IOException e) {
            LOG.debug("stream {} broke: {}", id, e.toString());
            if (!closed) {
                closed = true;
                onBroken.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }
}
