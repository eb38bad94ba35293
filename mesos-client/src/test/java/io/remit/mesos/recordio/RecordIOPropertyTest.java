package io.remit.mesos.recordio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The decoder on generated streams: valid streams cut into arbitrary chunks decode to the records
 * written, and any bytes at all (random, or a valid stream with bytes changed, cut or added) end
 * in records or a {@link RecordIOException}, never another exception and never a record above the
 * decoder's limit.
 */
class RecordIOPropertyTest {

    private static final int LIMIT = 4096;

    @Property(tries = 300)
    void validStreamsRoundTripWhateverTheChunking(@ForAll("records") List<byte[]> records,
                                                  @ForAll("cuts") List<Integer> cuts) throws RecordIOException {
        byte[] stream = encodeAll(records);
        RecordIODecoder decoder = new RecordIODecoder(LIMIT);
        List<byte[]> decoded = new ArrayList<>();
        for (byte[] chunk : chunks(stream, cuts)) {
            decoded.addAll(decoder.decode(chunk));
        }
        decoder.finish();
        assertThat(decoder.atRecordBoundary()).isTrue();
        assertThat(decoded).hasSameSizeAs(records);
        for (int i = 0; i < records.size(); i++) {
            assertThat(decoded.get(i)).as("record %d", i).isEqualTo(records.get(i));
        }
    }

    @Property(tries = 500)
    void randomBytesEndInRecordsOrARecordIOException(@ForAll @Size(max = 300) byte[] bytes,
                                                      @ForAll("cuts") List<Integer> cuts) {
        feed(bytes, cuts);
    }

    @Property(tries = 500)
    void mutatedStreamsEndInRecordsOrARecordIOException(@ForAll("records") List<byte[]> records,
                                                         @ForAll("mutations") List<int[]> mutations,
                                                         @ForAll("cuts") List<Integer> cuts) {
        byte[] stream = encodeAll(records);
        feed(mutate(stream, mutations), cuts);
    }

    @Property(tries = 100)
    void aLengthAboveTheLimitIsRefusedBeforeAnythingIsBuffered(@ForAll @IntRange(min = LIMIT + 1) int length) {
        RecordIODecoder decoder = new RecordIODecoder(LIMIT);
        assertThatThrownBy(() -> decoder.decode((length + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                .isInstanceOf(RecordIOException.class);
    }

    /** Feeds the bytes in chunks; only RecordIOException may come out, and no record over the limit. */
    private static void feed(byte[] bytes, List<Integer> cuts) {
        RecordIODecoder decoder = new RecordIODecoder(LIMIT);
        try {
            for (byte[] chunk : chunks(bytes, cuts)) {
                for (byte[] record : decoder.decode(chunk)) {
                    assertThat(record.length).isLessThanOrEqualTo(LIMIT);
                }
            }
            decoder.finish();
        } catch (RecordIOException expected) {
            // refused: fine. The decoder must stay refused from then on.
            assertThatThrownBy(() -> decoder.decode(new byte[] {'1', '\n', 'x'})).isInstanceOf(RecordIOException.class);
        } catch (RuntimeException e) {
            fail("the decoder threw " + e + " instead of a RecordIOException", e);
        }
    }

    @Provide
    Arbitrary<List<byte[]>> records() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(200).list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 2000).list().ofMaxSize(10);
    }

    /** Each mutation: {kind (0 change, 1 delete, 2 insert), position, byte}. */
    @Provide
    Arbitrary<List<int[]>> mutations() {
        return Arbitraries.integers().between(0, 2).flatMap(kind -> Arbitraries.integers().between(0, 5000)
                .flatMap(pos -> Arbitraries.integers().between(0, 255).map(b -> new int[] {kind, pos, b})))
                .list().ofMinSize(1).ofMaxSize(4);
    }

    private static byte[] encodeAll(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) {
            out.writeBytes(RecordIO.encode(r));
        }
        return out.toByteArray();
    }

    /** The bytes cut at the given offsets (taken modulo the length, in order; duplicates give empty chunks). */
    private static List<byte[]> chunks(byte[] bytes, List<Integer> cuts) {
        List<Integer> at = new ArrayList<>();
        for (int c : cuts) {
            at.add(bytes.length == 0 ? 0 : c % (bytes.length + 1));
        }
        at.sort(Integer::compare);
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int to : at) {
            out.add(java.util.Arrays.copyOfRange(bytes, from, to));
            from = to;
        }
        out.add(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
        return out;
    }

    private static byte[] mutate(byte[] stream, List<int[]> mutations) {
        List<Byte> bytes = new ArrayList<>();
        for (byte b : stream) {
            bytes.add(b);
        }
        for (int[] m : mutations) {
            int pos = bytes.isEmpty() ? 0 : m[1] % (m[0] == 2 ? bytes.size() + 1 : bytes.size());
            switch (m[0]) {
                case 0 -> { if (!bytes.isEmpty()) bytes.set(pos, (byte) m[2]); }
                case 1 -> { if (!bytes.isEmpty()) bytes.remove(pos); }
                default -> bytes.add(pos, (byte) m[2]);
            }
        }
        byte[] out = new byte[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.get(i);
        }
        return out;
    }
}
