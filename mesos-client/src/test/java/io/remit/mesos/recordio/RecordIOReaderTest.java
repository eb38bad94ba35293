package io.remit.mesos.recordio;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class RecordIOReaderTest {

    /** Hands out at most one byte per read, as a slow network might. */
    private static InputStream trickle(String s) {
        return new ByteArrayInputStream(s.getBytes(UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void readsRecordsThenNullAtACleanEnd() throws Exception {
        try (RecordIOReader reader = new RecordIOReader(trickle("5\nhello0\n11\nhello world"))) {
            assertThat(new String(reader.next(), UTF_8)).isEqualTo("hello");
            assertThat(reader.next()).isEmpty();
            assertThat(new String(reader.next(), UTF_8)).isEqualTo("hello world");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void truncatedStreamIsAnError() throws Exception {
        try (RecordIOReader reader = new RecordIOReader(trickle("5\nhello11\nhello"))) {
            assertThat(reader.next()).isNotNull();
            assertThatThrownBy(reader::next)
                    .isInstanceOf(RecordIOException.class)
                    .hasMessage("RecordIO stream ended after 5 of 11 bytes of a record");
        }
    }

    @Test
    void readerEnforcesItsLimit() throws Exception {
        try (RecordIOReader reader = new RecordIOReader(trickle("1000\n"), 999)) {
            assertThatThrownBy(reader::next).isInstanceOf(RecordIOException.class).hasMessageContaining("limit of 999");
        }
    }

    @Test
    void emptyStreamEndsCleanly() throws Exception {
        try (RecordIOReader reader = new RecordIOReader(new ByteArrayInputStream(new byte[0]))) {
            assertThat(reader.next()).isNull();
        }
    }
}
