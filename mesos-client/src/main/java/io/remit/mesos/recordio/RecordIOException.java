package io.remit.mesos.recordio;

import java.io.IOException;

/** A RecordIO stream that does not follow the framing: a bad length prefix, an oversize or truncated record. */
public final class RecordIOException extends IOException {
    public RecordIOException(String message) {
        super(message);
    }
}
