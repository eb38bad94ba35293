package io.remit.scheduler.mesos;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A short digest of a served file's content, for URIs that agents may cache. Reading a 30 MB jar
 * at every launch would cost more than the launch, so a digest is kept until the file's size,
 * modification time or (on Unix) change time moves: the build pins the executor jar's
 * modification time, so that alone would not see a new jar. Thread-safe.
 */
final class ContentVersions {

    private static final Logger LOG = LoggerFactory.getLogger(ContentVersions.class);

    private record Known(long size, FileTime modified, Object changed, String digest) {
    }

    private final Map<Path, Known> known = new ConcurrentHashMap<>();

    /** The file's version (16 hex digits of its SHA-256), or empty when it is not there or cannot be read. */
    Optional<String> of(Path file) {
        return sha256(file).map(hex -> hex.substring(0, 16));
    }

    /** The file's SHA-256 in hex, or empty when it is not there or cannot be read. */
    Optional<String> sha256(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            long size = Files.size(file);
            FileTime modified = Files.getLastModifiedTime(file);
            Object changed = changeTime(file);
            Known k = known.get(file);
            if (k != null && k.size == size && k.modified.equals(modified) && java.util.Objects.equals(k.changed, changed)) {
                return Optional.of(k.digest);
            }
            String digest = digest(file);
            known.put(file, new Known(size, modified, changed, digest));
            return Optional.of(digest);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("cannot read {} to version its URI ({}); agents fetch it at every launch", file, e.toString());
            return Optional.empty();
        }
    }

    private static Object changeTime(Path file) throws IOException {
        try {
            return Files.getAttribute(file, "unix:ctime");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // Not a Unix file system: no change time to compare; size and modification time decide.
            return null;
        }
    }

    private static String digest(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
