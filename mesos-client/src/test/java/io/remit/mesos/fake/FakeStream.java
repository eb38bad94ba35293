package io.remit.mesos.fake;

import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import io.remit.mesos.MediaType;
import io.remit.mesos.recordio.RecordIO;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;

/** The server side of one open SUBSCRIBE stream: chunked RecordIO events, written when the test says. */
public final class FakeStream {

    private final HttpExchange exchange;
    private final OutputStream out;
    private final MediaType type;
    private final String streamId;
    private final CountDownLatch closed = new CountDownLatch(1);

    FakeStream(HttpExchange exchange, MediaType type, String streamId) {
        this.exchange = exchange;
        this.out = exchange.getResponseBody();
        this.type = type;
        this.streamId = streamId;
    }

    public String streamId() {
        return streamId;
    }

    /** Writes and flushes one event as a RecordIO record. */
    public synchronized void send(Message event) {
        sendRaw(RecordIO.encode(type.encode(event)));
    }

    /** Writes and flushes raw bytes, framing and all. */
    public synchronized void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the response cleanly (the last chunk), as a master does when it closes a stream. */
    public synchronized void close() {
        try {
            exchange.close();
        } finally {
            closed.countDown();
        }
    }

    /** Lets the handler thread go without writing anything more (the server is going down). */
    void release() {
        closed.countDown();
    }

    void awaitClosed() throws InterruptedException {
        closed.await();
    }
}
