package io.remit.mesos.recordio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RecordIO framing as the Mesos v1 HTTP APIs use it: each record is its length in bytes as
 * an unsigned decimal number, a line feed, then exactly that many bytes.
 *
 * <pre>5\nhello11\nhello world</pre>
 */
public final class RecordIO {

    /** The default limit on one record's size, above which a decoder refuses it. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

    private RecordIO() {
    }

    /** The framed form of {@code record}: its header followed by its bytes. */
    public static byte[] encode(byte[] record) {
        byte[] header = header(record.length);
        byte[] framed = new byte[header.length + record.length];
        System.arraycopy(header, 0, framed, 0, header.length);
        System.arraycopy(record, 0, framed, header.length, record.length);
        return framed;
    }

    /** Writes one framed record to {@code out}; does not flush. */
    public static void write(OutputStream out, byte[] record) throws IOException {
        out.write(header(record.length));
        out.write(record);
    }

    private static byte[] header(int length) {
        return (length + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
