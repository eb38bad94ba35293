package io.remit.bench;

import io.remit.mesos.recordio.RecordIO;
import io.remit.mesos.recordio.RecordIOReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RecordIO decoding of 1 KiB records against a plain read of the same bytes through the same
 * kind of stream, in one run. Each operation reads 4 MiB of framed records (4,096 records);
 * MB/s = ops/s x the stream's size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordIODecodeBenchmark {

    static final int RECORDS = 4096;
    static final int RECORD_BYTES = 1024;

    byte[] stream;

    @Setup
    public void setup() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Random random = new Random(42);
        byte[] record = new byte[RECORD_BYTES];
        for (int i = 0; i < RECORDS; i++) {
            random.nextBytes(record);
            RecordIO.write(out, record);
        }
        stream = out.toByteArray();
    }

    /** The baseline: every byte read through a 16 KiB buffer, touching each chunk once. */
    @Benchmark
    public long plainRead() throws IOException {
        InputStream in = new ByteArrayInputStream(stream);
        byte[] buffer = new byte[16 * 1024];
        long sum = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            sum += n + buffer[n - 1];
        }
        return sum;
    }

    /** The same bytes decoded into records by {@link RecordIOReader}. */
    @Benchmark
    public long decode() throws IOException {
        RecordIOReader reader = new RecordIOReader(new ByteArrayInputStream(stream));
        long sum = 0;
        byte[] record;
        while ((record = reader.next()) != null) {
            sum += record.length + record[record.length - 1];
        }
        return sum;
    }
}
