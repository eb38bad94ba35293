package io.remit.mesos.http;

import io.remit.mesos.recordio.RecordIOReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a RecordIO event stream (the body of a SUBSCRIBE response) on its own daemon thread,
 * decodes each record and hands it to a {@link Sink}.
 *
 * <p>Threading: {@link Sink#accept} and {@link Sink#ended} run on the reader thread, in stream
 * order; {@code ended} runs exactly once, last, whatever ended the stream (end of body, broken
 * framing, an undecodable record, {@link #close()}). {@link #close()} may be called from any
 * thread; it does not wait for the reader thread.
 *
 * @param <E> the event type
 */
public final class EventStreamReader<E> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStreamReader.class);

    /** Turns one record into an event. */
    @FunctionalInterface
    public interface Decoder<E> {
        E decode(byte[] record) throws IOException;
    }

    /** Receives the events of one stream. */
    public interface Sink<E> {
        /** One event; return false to stop reading (then {@link #ended} follows). */
        boolean accept(E event);

        /** The stream is over; {@code reason} says why, for logs and listeners. */
        void ended(String reason);
    }

    private final InputStream body;
    private final RecordIOReader records;
    private final Decoder<E> decoder;
    private final Sink<E> sink;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EventStreamReader(String threadName, InputStream body, int maxRecordBytes, Decoder<E> decoder, Sink<E> sink) {
        this.body = body;
        this.records = new RecordIOReader(body, maxRecordBytes);
        this.decoder = decoder;
        this.sink = sink;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts a reader thread named {@code threadName} over {@code body}. */
    public static <E> EventStreamReader<E> start(
            String threadName, InputStream body, int maxRecordBytes, Decoder<E> decoder, Sink<E> sink) {
        EventStreamReader<E> reader = new EventStreamReader<>(threadName, body, maxRecordBytes, decoder, sink);
        reader.thread.start();
        return reader;
    }

    private void run() {
        String reason;
        try {
            reason = readAll();
        } catch (IOException e) {
            reason = closed.get() ? "stream closed by the client" : "stream failed: " + e;
        } catch (RuntimeException e) {
            LOG.error("event stream sink failed", e);
            reason = "event handling failed: " + e;
        } finally {
            closeBody();
        }
        Thread.interrupted(); // close() may have interrupted us; the sink should not inherit it
        try {
            sink.ended(reason);
        } catch (RuntimeException e) {
            LOG.error("event stream sink failed on end of stream", e);
        }
    }

    private String readAll() throws IOException {
        while (true) {
            byte[] record = records.next();
            if (record == null) {
                return closed.get() ? "stream closed by the client" : "stream ended by the server";
            }
            E event;
            try {
                event = decoder.decode(record);
            } catch (IOException e) {
                return "undecodable event: " + e.getMessage();
            }
            if (!sink.accept(event)) {
                return "stream abandoned";
            }
        }
    }

    /** Closes the body and wakes the reader thread; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeBody();
            thread.interrupt();
        }
    }

    private void closeBody() {
        try {
            body.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing event stream body", e);
        }
    }
}
