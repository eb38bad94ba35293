package io.remit.executor;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A log file that rotates by size: when a write would take {@code file} past {@code maxBytes},
 * {@code file.(n-1)} becomes {@code file.n} (the oldest is deleted), ..., {@code file} becomes
 * {@code file.1}, and writing goes on in a fresh {@code file}. At most {@code files} files exist,
 * the live one included. A single write larger than {@code maxBytes} is kept whole. Writes are
 * flushed at once, so the file is always current for anyone reading the sandbox.
 *
 * <p>Not thread-safe: one pump thread writes it.
 */
final class RotatingFile implements Closeable {

    /** 10 MB, the size at which the service's stdout and stderr are rotated. */
    static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    /** The live file and two rotated ones. */
    static final int DEFAULT_FILES = 3;

    private final Path file;
    private final long maxBytes;
    private final int files;
    private OutputStream out;
    private long size;

    RotatingFile(Path file, long maxBytes, int files) throws IOException {
        if (maxBytes < 1 || files < 1) {
            throw new IllegalArgumentException("maxBytes and files must be positive: " + maxBytes + ", " + files);
        }
        this.file = file;
        this.maxBytes = maxBytes;
        this.files = files;
        this.size = Files.exists(file) ? Files.size(file) : 0;
        this.out = open();
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        if (size > 0 && size + length > maxBytes) {
            rotate();
        }
        out.write(bytes, offset, length);
        out.flush();
        size += length;
    }

    private void rotate() throws IOException {
        out.close();
        if (files == 1) {
            Files.delete(file);
        } else {
            Files.deleteIfExists(numbered(files - 1));
            for (int i = files - 2; i >= 1; i--) {
                if (Files.exists(numbered(i))) {
                    Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        }
        size = 0;
        out = open();
    }

    private Path numbered(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private OutputStream open() throws IOException {
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
