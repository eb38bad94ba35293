package io.remit.localcluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.remit.mesos.json.ProtoJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Durable JSON files, as a Mesos agent checkpoints its state and a master keeps its registry:
 * every write goes to a temporary file in the same directory, is forced to disk, and is renamed
 * over the old file, and the directory is forced too, so that a {@code kill -9} (or a power cut)
 * at any instant leaves either the old content or the new, never a torn file.
 */
public final class Checkpoints {

    public static final ObjectMapper JSON = new ObjectMapper();

    private Checkpoints() {
    }

    /** Replaces {@code file} with {@code value} atomically and durably. */
    public static void write(Path file, JsonNode value) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(dir);
    }

    /** The file's content, or empty when there is none (a leftover temporary file is ignored). */
    public static Optional<JsonNode> read(Path file) throws IOException {
        try {
            return Optional.of(JSON.readTree(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** A protobuf message as a JSON tree, in the proto's JSON mapping. */
    public static JsonNode proto(Message message) {
        try {
            return JSON.readTree(ProtoJson.toJsonBytes(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a tree written by {@link #proto}. */
    public static <M extends Message> M proto(JsonNode node, Message.Builder builder) {
        try {
            return ProtoJson.parse(JSON.writeValueAsBytes(node), builder);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable checkpoint: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for reading; the rename is still atomic.
        }
    }
}
