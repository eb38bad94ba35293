package io.remit.mesos.recordio;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * Reads RecordIO records from a blocking {@link InputStream}, such as a chunked HTTP response.
 * Not thread-safe.
 */
public final class RecordIOReader implements AutoCloseable {

    private final InputStream in;
    private final RecordIODecoder decoder;
    private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
    private final byte[] buffer = new byte[16 * 1024];

    public RecordIOReader(InputStream in, int maxRecordBytes) {
        this.in = in;
        this.decoder = new RecordIODecoder(maxRecordBytes);
    }

    public RecordIOReader(InputStream in) {
        this(in, RecordIO.DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * The next record, blocking until it is complete; {@code null} when the stream ended
     * cleanly between records.
     *
     * @throws RecordIOException when the framing is broken or the stream ends inside a record
     */
    public byte[] next() throws IOException {
        while (ready.isEmpty()) {
            int n = in.read(buffer);
            if (n < 0) {
                decoder.finish();
                return null;
            }
            decoder.decode(buffer, 0, n, ready::add);
        }
        return ready.poll();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
