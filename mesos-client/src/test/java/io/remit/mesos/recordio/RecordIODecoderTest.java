package io.remit.mesos.recordio;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RecordIODecoderTest {

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<String> strings(List<byte[]> records) {
        return records.stream().map(r -> new String(r, UTF_8)).toList();
    }

    private static byte[] framed(List<byte[]> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) {
            RecordIO.write(out, r);
        }
        return out.toByteArray();
    }

    @Test
    void encodesAsDecimalLengthLineFeedBytes() {
        assertThat(new String(RecordIO.encode(bytes("hello")), UTF_8)).isEqualTo("5\nhello");
        assertThat(new String(RecordIO.encode(bytes("")), UTF_8)).isEqualTo("0\n");
        assertThat(new String(RecordIO.encode(bytes("héllo")), UTF_8)).startsWith("6\n");
    }

    @Test
    void roundTripsRecordsOfManySizes() throws Exception {
        Random random = new Random(1);
        List<byte[]> records = new ArrayList<>();
        for (int size : new int[] {0, 1, 9, 10, 11, 99, 100, 1000, 65_536, 200_000}) {
            byte[] r = new byte[size];
            random.nextBytes(r);
            records.add(r);
        }

        List<byte[]> decoded = new RecordIODecoder().decode(framed(records));

        assertThat(decoded).hasSameSizeAs(records);
        for (int i = 0; i < records.size(); i++) {
            assertThat(decoded.get(i)).isEqualTo(records.get(i));
        }
    }

    @Test
    void decodesManyRecordsInOneChunk() throws Exception {
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(bytes("record-" + i));
        }
        RecordIODecoder decoder = new RecordIODecoder();

        List<byte[]> decoded = decoder.decode(framed(records));

        assertThat(strings(decoded)).containsExactlyElementsOf(strings(records));
        assertThat(decoder.atRecordBoundary()).isTrue();
        decoder.finish();
    }

    @Test
    void recordsSplitAtEveryPossibleBoundaryDecodeTheSame() throws Exception {
        List<byte[]> records = List.of(bytes("hello"), bytes(""), bytes("hello world, a longer one"), bytes("x"));
        byte[] stream = framed(records);
        for (int split = 0; split <= stream.length; split++) {
            RecordIODecoder decoder = new RecordIODecoder();
            List<byte[]> decoded = new ArrayList<>(decoder.decode(Arrays.copyOfRange(stream, 0, split)));
            decoded.addAll(decoder.decode(Arrays.copyOfRange(stream, split, stream.length)));
            decoder.finish();
            assertThat(strings(decoded)).as("split at %d", split).containsExactlyElementsOf(strings(records));
        }
    }

    @Test
    void recordsFedByteByByteDecodeTheSame() throws Exception {
        List<byte[]> records = List.of(bytes("hello"), bytes(""), bytes("0123456789ab"), bytes("z"));
        byte[] stream = framed(records);
        RecordIODecoder decoder = new RecordIODecoder();
        List<byte[]> decoded = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            decoder.decode(stream, i, 1, decoded::add);
            assertThat(decoder.atRecordBoundary()).isEqualTo(boundaries(records).contains(i + 1));
        }
        decoder.finish();
        assertThat(strings(decoded)).containsExactlyElementsOf(strings(records));
    }

    /** The stream offsets right after each complete record. */
    private static List<Integer> boundaries(List<byte[]> records) {
        List<Integer> ends = new ArrayList<>();
        int offset = 0;
        for (byte[] r : records) {
            offset += RecordIO.encode(r).length;
            ends.add(offset);
        }
        return ends;
    }

    @Test
    void zeroLengthRecordIsARecord() throws Exception {
        RecordIODecoder decoder = new RecordIODecoder();
        List<byte[]> decoded = decoder.decode(bytes("0\n0\n"));
        assertThat(decoded).hasSize(2).allSatisfy(r -> assertThat(r).isEmpty());
    }

    static Stream<Arguments> malformedPrefixes() {
        return Stream.of(
                Arguments.of("abc\n", "unexpected byte 0x61 after 0 digit(s)"),
                Arguments.of("12x\n", "unexpected byte 0x78 after 2 digit(s)"),
                Arguments.of("-5\nhello", "unexpected byte 0x2d after 0 digit(s)"),
                Arguments.of("5 \nhello", "unexpected byte 0x20 after 1 digit(s)"),
                Arguments.of("\n", "empty length before line feed"),
                Arguments.of("5\nhello\n", "empty length before line feed"),
                Arguments.of("00000000000000000005\n", "more than 19 digits"));
    }

    @ParameterizedTest
    @MethodSource("malformedPrefixes")
    void malformedLengthPrefixFailsClearly(String input, String expected) {
        RecordIODecoder decoder = new RecordIODecoder(Integer.MAX_VALUE);
        byte[] chunk = bytes(input);
        assertThatThrownBy(() -> decoder.decode(chunk))
                .isInstanceOf(RecordIOException.class)
                .hasMessageStartingWith("malformed RecordIO length prefix")
                .hasMessageEndingWith(expected);
        assertThatThrownBy(() -> decoder.decode(bytes("5\nhello")))
                .as("a failed decoder stays failed")
                .isInstanceOf(RecordIOException.class);
        assertThatThrownBy(decoder::finish).isInstanceOf(RecordIOException.class);
    }

    @Test
    void lengthOverTheLimitFailsBeforeTheLineFeedSoNothingIsAllocated() {
        RecordIODecoder decoder = new RecordIODecoder(100);
        // No line feed and no body: the decoder must refuse on the digits alone.
        assertThatThrownBy(() -> decoder.decode(bytes("101")))
                .isInstanceOf(RecordIOException.class)
                .hasMessage("RecordIO record of at least 101 bytes exceeds the limit of 100 bytes");
        assertThatThrownBy(() -> new RecordIODecoder().decode(bytes("99999999999999999999")))
                .isInstanceOf(RecordIOException.class)
                .hasMessageContaining("exceeds the limit");
    }

    @Test
    void lengthAtTheLimitIsAccepted() throws Exception {
        assertThat(new RecordIODecoder(5).decode(bytes("5\nhello"))).hasSize(1);
    }

    @Test
    void finishDetectsAStreamCutInsideARecord() throws Exception {
        RecordIODecoder decoder = new RecordIODecoder();
        decoder.decode(bytes("5\nhel"));
        assertThatThrownBy(decoder::finish)
                .isInstanceOf(RecordIOException.class)
                .hasMessage("RecordIO stream ended after 3 of 5 bytes of a record");
    }

    @Test
    void finishDetectsAStreamCutInsideALengthPrefix() throws Exception {
        RecordIODecoder decoder = new RecordIODecoder();
        decoder.decode(bytes("5\nhello1"));
        assertThatThrownBy(decoder::finish)
                .isInstanceOf(RecordIOException.class)
                .hasMessage("RecordIO stream ended inside a length prefix");
    }

    @Test
    void negativeLimitIsRejected() {
        assertThatThrownBy(() -> new RecordIODecoder(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
