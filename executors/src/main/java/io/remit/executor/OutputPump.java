package io.remit.executor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one output stream of the service into a {@link RotatingFile} and its complete lines
 * into a {@link LineTail}, on its own daemon thread, until the stream ends (the process and
 * whatever inherited the pipe are gone); then closes the file.
 */
final class OutputPump implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);

    private final InputStream in;
    private final RotatingFile out;
    private final LineTail tail;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    private OutputPump(InputStream in, RotatingFile out, LineTail tail) {
        this.in = in;
        this.out = out;
        this.tail = tail;
    }

    /** Starts pumping on a daemon thread named {@code name}; join it to know the stream is drained. */
    static Thread start(String name, InputStream in, RotatingFile out, LineTail tail) {
        Thread t = new Thread(new OutputPump(in, out, tail), name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try (in; out) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                lines(buffer, n);
            }
        } catch (IOException e) {
            LOG.warn("{} stopped: {}", Thread.currentThread().getName(), e.toString());
        }
        if (partial.size() > 0) {
            tail.add(partial.toString(StandardCharsets.UTF_8));
        }
    }

    private void lines(byte[] buffer, int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
                partial.write(buffer, start, i - start);
                String line = partial.toString(StandardCharsets.UTF_8);
                tail.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                partial.reset();
                start = i + 1;
            }
        }
        if (start < n && partial.size() < LineTail.MAX_LINE_CHARS * 4) {
            partial.write(buffer, start, Math.min(n - start, LineTail.MAX_LINE_CHARS * 4 - partial.size()));
        }
    }
}
