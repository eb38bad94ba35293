package io.remit.scheduler.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link Credentials}: those of the settings plus the credentials file, read again
 * when the file changes (its modification time, size or identity), looked at no more than once a
 * {@code recheck}. So a token added to or removed from the file works, or stops working, without
 * a restart. A file that does not read, or holds an invalid entry, leaves the credentials as they
 * were, with an error in the log. Thread-safe; the check is a stat of one file.
 */
public final class CredentialsSource {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialsSource.class);

    private final AuthSettings settings;
    private final Path file;
    private final Clock clock;
    private final Duration recheck;
    private volatile Credentials current;
    private volatile Object seen;
    private volatile Instant checkedAt = Instant.MIN;

    /** Reads the credentials now; fails as {@link Credentials#load} does when they are invalid at start. */
    public CredentialsSource(AuthSettings settings, Clock clock, Duration recheck) {
        this.settings = settings;
        this.file = settings.credentialsFile == null || settings.credentialsFile.isBlank() ? null : Path.of(settings.credentialsFile);
        this.clock = clock;
        this.recheck = recheck;
        this.seen = version();
        this.current = Credentials.load(settings);
        this.checkedAt = clock.instant();
    }

    public Credentials current() {
        Instant now = clock.instant();
        if (file != null && !now.isBefore(checkedAt.plus(recheck))) {
            reloadIfChanged(now);
        }
        return current;
    }

    private synchronized void reloadIfChanged(Instant now) {
        if (now.isBefore(checkedAt.plus(recheck))) {
            return;
        }
        checkedAt = now;
        Object version = version();
        if (Objects.equals(version, seen)) {
            return;
        }
        seen = version;
        try {
            Credentials loaded = Credentials.load(settings);
            current = loaded;
            LOG.info("Credentials file {} changed: {} users now", file, loaded.size());
        } catch (RuntimeException e) {
            LOG.error("Credentials file {} changed but is not valid; keeping the users it had: {}", file, e.getMessage());
        }
    }

    /** What tells one content of the file from another without reading it. */
    private Object version() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException | RuntimeException e) {
            return "absent";
        }
    }
}
