package io.remit.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileTest {

    @TempDir
    Path dir;

    @Test
    void rotatesBeforeAWriteWouldPassTheLimitAndKeepsAtMostNFiles() throws IOException {
        Path log = dir.resolve("service.stdout");
        try (RotatingFile file = new RotatingFile(log, 10, 3)) {
            write(file, "aaaaaa");   // 6
            write(file, "bbbb");     // 10: still fits
            write(file, "cc");       // would be 12: rotate first
            write(file, "dddddddd"); // 10
            write(file, "e");        // rotate again: "aaaaaabbbb" moves on to .2
        }
        assertThat(Files.readString(log)).isEqualTo("e");
        assertThat(Files.readString(dir.resolve("service.stdout.1"))).isEqualTo("ccdddddddd");
        assertThat(Files.readString(dir.resolve("service.stdout.2"))).isEqualTo("aaaaaabbbb");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(3);
        }
    }

    @Test
    void dropsTheOldestWhenFull() throws IOException {
        Path log = dir.resolve("service.stderr");
        try (RotatingFile file = new RotatingFile(log, 4, 3)) {
            for (String chunk : new String[] {"1111", "2222", "3333", "4444", "5555"}) {
                write(file, chunk);
            }
        }
        assertThat(Files.readString(log)).isEqualTo("5555");
        assertThat(Files.readString(dir.resolve("service.stderr.1"))).isEqualTo("4444");
        assertThat(Files.readString(dir.resolve("service.stderr.2"))).isEqualTo("3333");
        assertThat(dir.resolve("service.stderr.3")).doesNotExist();
    }

    @Test
    void aWriteLargerThanTheLimitIsKeptWhole() throws IOException {
        Path log = dir.resolve("out");
        try (RotatingFile file = new RotatingFile(log, 4, 2)) {
            write(file, "0123456789");
            write(file, "x");
        }
        assertThat(Files.readString(dir.resolve("out.1"))).isEqualTo("0123456789");
        assertThat(Files.readString(log)).isEqualTo("x");
    }

    @Test
    void continuesAnExistingFileAndCountsItsSize() throws IOException {
        Path log = dir.resolve("out");
        Files.writeString(log, "abc");
        try (RotatingFile file = new RotatingFile(log, 5, 2)) {
            write(file, "de");
            write(file, "f");
        }
        assertThat(Files.readString(dir.resolve("out.1"))).isEqualTo("abcde");
        assertThat(Files.readString(log)).isEqualTo("f");
    }

    @Test
    void thePumpCopiesTheStreamAndKeepsItsLastLines() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            text.append("line ").append(i).append(i % 2 == 0 ? "\r\n" : "\n");
        }
        text.append("no newline at the end");
        LineTail tail = new LineTail(20);
        Path log = dir.resolve("service.stdout");
        Thread pump = OutputPump.start("test-pump", new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
                new RotatingFile(log, 1024 * 1024, 3), tail);
        pump.join(10_000);
        assertThat(pump.isAlive()).isFalse();
        assertThat(Files.readString(log)).isEqualTo(text.toString());
        assertThat(tail.lines()).hasSize(20).startsWith("line 12", "line 13").endsWith("line 30", "no newline at the end");
    }

    @Test
    void theTailCutsVeryLongLines() {
        LineTail tail = new LineTail(2);
        tail.add("x".repeat(1000));
        assertThat(tail.lines().get(0)).hasSize(LineTail.MAX_LINE_CHARS + 3).endsWith("...");
    }

    private static void write(RotatingFile file, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        file.write(b, 0, b.length);
    }
}
