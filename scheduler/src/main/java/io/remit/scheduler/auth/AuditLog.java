package io.remit.scheduler.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who changed what, when: every request that may change something (POST, PUT, PATCH, DELETE),
 * with its answer's status, refused ones included (401 without valid credentials, 403 for a
 * viewer, with the reason). Appended as JSON lines to a file when one is
 * configured, logged under {@code remit.audit}, and the recent ones kept for {@code GET /v1/audit}.
 */
public final class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger("remit.audit");
    private static final int RECENT = 1000;

    /**
     * One operator action.
     *
     * @param who    the caller's name, or {@code (unauthenticated)}
     * @param reason why it was refused before it was carried out (401, 403); null otherwise
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Entry(Instant at, String who, String role, String method, String path, int status, String reason) {
    }

    private final Path file;
    private final Clock clock;
    private final ObjectMapper json;
    private final ArrayDeque<Entry> recent = new ArrayDeque<>();

    public AuditLog(Path file, Clock clock, ObjectMapper json) {
        this.file = file;
        this.clock = clock;
        this.json = json;
    }

    public void record(Caller caller, String method, String path, int status) {
        record(caller, method, path, status, null);
    }

    /** @param reason why the request was refused before it was carried out, or null */
    public void record(Caller caller, String method, String path, int status, String reason) {
        Entry e = new Entry(clock.instant(), caller == null ? "(unauthenticated)" : caller.name(),
                caller == null ? "" : caller.role().name(), method, path, status, reason);
        LOG.info("{} ({}) {} {} -> {}{}", e.who(), e.role(), method, path, status, reason == null ? "" : ": " + reason);
        synchronized (recent) {
            recent.addLast(e);
            while (recent.size() > RECENT) {
                recent.removeFirst();
            }
            if (file != null) {
                try {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    Files.write(file, (json.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8),
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException ex) {
                    LOG.warn("cannot append to the audit file {}: {}", file, ex.toString());
                }
            }
        }
    }

    /** The newest {@code n} entries, newest first. */
    public List<Entry> recent(int n) {
        synchronized (recent) {
            List<Entry> out = new ArrayList<>(recent);
            java.util.Collections.reverse(out);
            return List.copyOf(out.subList(0, Math.min(n, out.size())));
        }
    }
}
