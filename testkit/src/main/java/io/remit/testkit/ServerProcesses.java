package io.remit.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the test servers (etcd, Prometheus, Zipkin) share: waiting for a started process to be
 * ready, quoting the end of its log when it is not, and stopping it by pid and deleting its folder.
 */
final class ServerProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(ServerProcesses.class);

    /** Whether the server answers as ready; an {@link IOException} means "not listening yet". */
    interface ReadyCheck {
        boolean ready() throws IOException, InterruptedException;
    }

    private ServerProcesses() {
    }

    /**
     * Polls {@code check} every {@code poll} until it says ready. Fails with the log's last lines
     * when the process exits first, or, after stopping it and deleting {@code dir}, when
     * {@code timeout} passes.
     */
    static void awaitReady(String what, Process process, Path log, Path dir, Duration timeout, Duration poll,
                           ReadyCheck check) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() - deadline < 0) {
                if (!process.isAlive()) {
                    throw new IOException(what + " exited with " + process.exitValue() + ": " + tail(log));
                }
                try {
                    if (check.ready()) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                process.waitFor(poll.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + what, e);
        }
        String last = tail(log);
        stop(process, Duration.ofSeconds(10), dir);
        throw new IOException(what + " was not ready within " + timeout + ": " + last);
    }

    /** The last 10 lines of {@code log}. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SIGTERM, {@code grace} to exit, then SIGKILL; then deletes {@code dir} and all below it. */
    static void stop(Process process, Duration grace, Path dir) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
