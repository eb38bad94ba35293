package io.remit.mesos.recordio;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A streaming RecordIO decoder. Feed it chunks exactly as they arrive from the network; a
 * record may be split across any number of chunks and one chunk may hold many records.
 *
 * <p>Not thread-safe: one decoder per stream, fed from one thread. After it has thrown a
 * {@link RecordIOException} the stream is unusable and every later call throws again.
 */
public final class RecordIODecoder {

    /** The longest length prefix accepted; 19 digits already exceed any int limit. */
    private static final int MAX_PREFIX_DIGITS = 19;

    private final int maxRecordBytes;

    private long length;
    private int digits;
    private byte[] record;
    private int filled;
    private String failure;

    public RecordIODecoder() {
        this(RecordIO.DEFAULT_MAX_RECORD_BYTES);
    }

    /** @param maxRecordBytes records longer than this are refused with a {@link RecordIOException} */
    public RecordIODecoder(int maxRecordBytes) {
        if (maxRecordBytes < 0) {
            throw new IllegalArgumentException("maxRecordBytes must not be negative: " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Decodes a chunk and returns the records it completed, in order. */
    public List<byte[]> decode(byte[] chunk) throws RecordIOException {
        List<byte[]> records = new ArrayList<>();
        decode(chunk, 0, chunk.length, records::add);
        return records;
    }

    /**
     * Decodes {@code len} bytes of {@code chunk} from {@code off}, handing each completed record
     * to {@code sink} as soon as it is complete.
     */
    public void decode(byte[] chunk, int off, int len, Consumer<byte[]> sink) throws RecordIOException {
        if (failure != null) {
            throw new RecordIOException(failure);
        }
        int i = off;
        int end = off + len;
        while (i < end) {
            if (record == null) {
                byte b = chunk[i++];
                if (b == '\n') {
                    if (digits == 0) {
                        fail("malformed RecordIO length prefix: empty length before line feed");
                    }
                    record = new byte[(int) length];
                    filled = 0;
                } else if (b >= '0' && b <= '9') {
                    if (++digits > MAX_PREFIX_DIGITS) {
                        fail("malformed RecordIO length prefix: more than " + MAX_PREFIX_DIGITS + " digits");
                    }
                    length = length * 10 + (b - '0');
                    if (length > maxRecordBytes) {
                        fail("RecordIO record of at least " + length + " bytes exceeds the limit of "
                                + maxRecordBytes + " bytes");
                    }
                } else {
                    fail("malformed RecordIO length prefix: unexpected byte 0x"
                            + String.format("%02x", b & 0xff) + " after " + digits + " digit(s)");
                }
            } else {
                int n = Math.min(record.length - filled, end - i);
                System.arraycopy(chunk, i, record, filled, n);
                filled += n;
                i += n;
            }
            if (record != null && filled == record.length) {
                byte[] done = record;
                record = null;
                length = 0;
                digits = 0;
                sink.accept(done);
            }
        }
    }

    /** True when the decoder sits between records, so the stream may end here cleanly. */
    public boolean atRecordBoundary() {
        return record == null && digits == 0;
    }

    /**
     * Call at the end of the stream: throws when the stream stopped inside a record or its
     * length prefix.
     */
    public void finish() throws RecordIOException {
        if (failure != null) {
            throw new RecordIOException(failure);
        }
        if (!atRecordBoundary()) {
            String where = record == null
                    ? "inside a length prefix"
                    : "after " + filled + " of " + record.length + " bytes of a record";
            fail("RecordIO stream ended " + where);
        }
    }

    private void fail(String message) throws RecordIOException {
        failure = message;
        throw new RecordIOException(message);
    }
}
